package dev.sluice.runtime;

import dev.sluice.strategy.builtin.StreamCounters;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lossy bulk stores under congestion go through pushSingle (the BlockGenerator), one block per interval, not per call. */
class BulkCoalescingTest {

    private static Iterator<Object> chunk(int n) {
        List<Object> l = new ArrayList<Object>();
        for (int i = 0; i < n; i++) {
            l.add("r" + i);
        }
        return l.iterator();
    }

    /** Stores chunks through the lazy gate (as Spark would drain it) until the offered rate is measured above the bound. */
    private static void congest(TestReceiver receiver, int streamId) throws InterruptedException {
        long until = System.nanoTime() + 2_000_000_000L;
        while (!BulkCoalescing.applies(StreamGates.of(streamId)) && System.nanoTime() < until) {
            Iterator<?> gated = ReceiverHooks.gateJavaIterator(receiver, chunk(500), false);
            while (gated.hasNext()) {
                gated.next();
            }
            Thread.sleep(5);
        }
    }

    @Test
    void congestedDropPushesTheKeptRecordsOneByOneAndCountsEveryRecord() throws InterruptedException {
        RuntimeFixture.install("sluice.strategy", "drop");
        TestReceiver receiver = new TestReceiver(0);
        RecordingSupervisor supervisor = new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        congest(receiver, 0);
        assertTrue(BulkCoalescing.applies(StreamGates.of(0)), "offered rate above the bound after 2 s of chunks");
        StreamCounters c = StreamGates.of(0).counters();
        long offered = c.offered();
        long admitted = c.admitted();
        for (int i = 0; i < 20; i++) {
            assertTrue(ReceiverHooks.javaIteratorToStore(receiver, chunk(500)) == ReceiverHooks.COALESCED);
            assertTrue(ReceiverHooks.scalaIteratorToStore(receiver,
                    scala.collection.JavaConverters.asScalaIterator(chunk(500))) == ReceiverHooks.COALESCED);
        }
        assertEquals(0, supervisor.iteratorCalls, "no block per call");
        assertEquals(20_000, c.offered() - offered);
        assertEquals(c.admitted() - admitted, supervisor.singles, "every kept record pushed once");
        assertTrue(supervisor.singles < 20_000, "drop discarded past the bound");
        assertEquals(c.offered(), c.admitted() + c.dropped());
    }

    @Test
    void switchedOffEveryCallKeepsItsOwnBlock() throws InterruptedException {
        RuntimeFixture.install("sluice.strategy", "drop", "sluice.bulk.coalesce", "false");
        TestReceiver receiver = new TestReceiver(0);
        new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        for (int i = 0; i < 20; i++) {
            Iterator<?> gated = ReceiverHooks.gateJavaIterator(receiver, chunk(500), false);
            while (gated.hasNext()) {
                gated.next();
            }
        }
        assertFalse(BulkCoalescing.applies(StreamGates.of(0)));
        assertFalse(ReceiverHooks.javaIteratorToStore(receiver, chunk(10)) == ReceiverHooks.COALESCED);
    }

    @Test
    void throttleUnboundedAndUncongestedStreamsKeepSparksOwnStore() throws InterruptedException {
        RuntimeFixture.install("sluice.strategy", "throttle", "sluice.stream.1.strategy", "drop",
                "sluice.stream.2.strategy", "drop");
        TestReceiver throttled = new TestReceiver(0);
        new RecordingSupervisor(throttled);
        StreamGates.of(0).learnBound(100);
        congest(throttled, 0);
        assertFalse(BulkCoalescing.applies(StreamGates.of(0)), "throttle keeps whole calls");
        assertFalse(ReceiverHooks.javaIteratorToStore(throttled, chunk(10)) == ReceiverHooks.COALESCED);

        TestReceiver unbounded = new TestReceiver(1);
        new RecordingSupervisor(unbounded);
        assertFalse(ReceiverHooks.javaIteratorToStore(unbounded, chunk(10)) == ReceiverHooks.COALESCED,
                "no bound: Spark's store as is");

        TestReceiver quiet = new TestReceiver(2);
        new RecordingSupervisor(quiet);
        StreamGates.of(2).learnBound(1_000_000);
        Iterator<?> gated = ReceiverHooks.gateJavaIterator(quiet, chunk(100), false);
        while (gated.hasNext()) {
            gated.next();
        }
        assertFalse(ReceiverHooks.javaIteratorToStore(quiet, chunk(10)) == ReceiverHooks.COALESCED,
                "offered far below the bound");
        assertEquals(110 - 10, StreamGates.of(2).counters().offered(), "a refused coalescing consumes nothing");
    }
}
