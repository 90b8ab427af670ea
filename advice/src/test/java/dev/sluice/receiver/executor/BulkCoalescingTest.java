package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.strategy.builtin.StreamCounters;
import org.apache.spark.SparkConf;
import org.apache.spark.storage.StreamBlockId;
import org.apache.spark.streaming.receiver.BlockGenerator;
import org.apache.spark.streaming.receiver.BlockGeneratorListener;
import org.apache.spark.util.ManualClock;
import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lossy bulk stores under congestion go through pushSingle (the BlockGenerator), one block per interval, not per call.
 * Time is virtual: the budgets run on a {@link VirtualClock}, Spark's BlockGenerator on Spark's own ManualClock.
 */
class BulkCoalescingTest {

    private final VirtualClock clock = new VirtualClock();

    private static Iterator<Object> chunk(int n) {
        List<Object> l = new ArrayList<Object>();
        for (int i = 0; i < n; i++) {
            l.add("r" + i);
        }
        return l.iterator();
    }

    /**
     * Stores 500-record chunks through the lazy gate (as Spark would drain it), one every 10 ms of virtual time (50 000
     * records/s), until the offered rate is measured above the bound.
     */
    private void congest(TestReceiver receiver, int streamId) {
        for (int i = 0; i < 200 && !BulkCoalescing.applies(StreamGates.of(streamId)); i++) {
            Iterator<?> gated = ReceiverHooks.gateJavaIterator(receiver, chunk(500), false);
            while (gated.hasNext()) {
                gated.next();
            }
            clock.advanceMillis(10);
        }
    }

    @Test
    void congestedDropPushesTheKeptRecordsOneByOneAndCountsEveryRecord() {
        RuntimeFixture.install(clock, "sluice.strategy", "drop");
        TestReceiver receiver = new TestReceiver(0);
        RecordingSupervisor supervisor = new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        congest(receiver, 0);
        assertTrue(BulkCoalescing.applies(StreamGates.of(0)), "offered rate above the bound");
        StreamCounters.Snapshot before = StreamGates.of(0).counters().snapshot();
        for (int i = 0; i < 20; i++) {
            assertTrue(ReceiverHooks.javaIteratorToStore(receiver, chunk(500)) == ReceiverHooks.COALESCED);
            assertTrue(ReceiverHooks.scalaIteratorToStore(receiver,
                    scala.collection.JavaConverters.asScalaIterator(chunk(500))) == ReceiverHooks.COALESCED);
            clock.advanceMillis(20);
        }
        StreamCounters.Snapshot after = StreamGates.of(0).counters().snapshot();
        assertEquals(0, supervisor.iteratorCalls, "no block per call");
        assertEquals(20_000, after.offered - before.offered, "what this test offered");
        assertEquals(supervisor.singles, after.stored - before.stored, "what Spark's supervisor received");
        assertEquals(after.offered, after.admitted + after.dropped);
        assertEquals(after.admitted, after.stored);
        assertTrue(supervisor.singles > 0 && supervisor.singles < 20_000, "drop discarded past the bound, kept "
                + supervisor.singles);
    }

    @Test
    void aFailingPushLeavesItsRecordUnsettledAndTheCallerSeesSparksError() {
        RuntimeFixture.install(clock, "sluice.strategy", "drop");
        TestReceiver receiver = new TestReceiver(0);
        RecordingSupervisor supervisor = new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        congest(receiver, 0);
        clock.advanceMillis(200); // a full burst (20 records) available again, the offered rate still measured high
        assertTrue(BulkCoalescing.applies(StreamGates.of(0)));
        StreamCounters.Snapshot before = StreamGates.of(0).counters().snapshot();
        supervisor.failAfterSingles = supervisor.singles + 3;
        Object toStore = ReceiverHooks.javaIteratorToStore(receiver, chunk(10));
        assertTrue(toStore instanceof Iterator, "the runtime never throws: it hands Spark an iterator");
        IllegalStateException e = assertThrows(IllegalStateException.class, ((Iterator<?>) toStore)::hasNext,
                "Spark's own store throws Spark's error to the caller");
        assertTrue(e.getMessage().startsWith("Cannot add data"));
        StreamCounters.Snapshot after = StreamGates.of(0).counters().snapshot();
        assertEquals(4, after.offered - before.offered, "three pushed, the fourth failed, the rest never pulled");
        assertEquals(3, after.stored - before.stored);
        assertEquals(3, after.admitted - before.admitted, "the record whose push failed is not counted admitted");
        assertEquals(1, after.unsettled(), "it shows as offered and unsettled");
        assertEquals(0, AdviceErrors.total(), "Spark's error is not Sluice's");
    }

    @Test
    void aFailingSourceWhileCoalescingRethrowsToTheCallerThroughSparksStore() {
        RuntimeFixture.install(clock, "sluice.strategy", "drop");
        TestReceiver receiver = new TestReceiver(0);
        new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        congest(receiver, 0);
        Iterator<Object> failing = new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object next() {
                throw new UnsupportedOperationException("source broke");
            }
        };
        Object scalaToStore = ReceiverHooks.scalaIteratorToStore(receiver,
                scala.collection.JavaConverters.asScalaIterator(failing));
        assertTrue(scalaToStore instanceof scala.collection.Iterator);
        assertThrows(UnsupportedOperationException.class, ((scala.collection.Iterator<?>) scalaToStore)::hasNext);
    }

    /** Blocks a real BlockGenerator pushes, as Spark's supervisor would receive them. */
    private static final class BlockCollector implements BlockGeneratorListener {
        final LinkedBlockingQueue<ArrayBuffer<?>> blocks = new LinkedBlockingQueue<ArrayBuffer<?>>();

        @Override
        public void onAddData(Object data, Object metadata) {
        }

        @Override
        public void onGenerateBlock(StreamBlockId blockId) {
        }

        @Override
        public void onPushBlock(StreamBlockId blockId, ArrayBuffer<?> buffer) {
            blocks.add(buffer);
        }

        @Override
        public void onError(String message, Throwable error) {
        }
    }

    @Test
    void coalescedRecordsFormOneBlockPerIntervalInARealBlockGenerator() throws Exception {
        RuntimeFixture.install(clock, "sluice.strategy", "drop");
        TestReceiver receiver = new TestReceiver(0);
        RecordingSupervisor supervisor = new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        congest(receiver, 0);
        assertTrue(BulkCoalescing.applies(StreamGates.of(0)));

        ManualClock sparkTime = new ManualClock(0);
        BlockCollector collector = new BlockCollector();
        BlockGenerator generator = new BlockGenerator(collector, 0, new SparkConf(false), sparkTime);
        supervisor.generator = generator;
        generator.start();
        try {
            StreamCounters.Snapshot before = StreamGates.of(0).counters().snapshot();
            for (int i = 0; i < 40; i++) { // 40 calls, 20 000 records, within one 200 ms block interval
                assertTrue(ReceiverHooks.javaIteratorToStore(receiver, chunk(500)) == ReceiverHooks.COALESCED);
                clock.advanceMillis(5);
            }
            StreamCounters.Snapshot after = StreamGates.of(0).counters().snapshot();
            sparkTime.advance(200); // one block interval of Spark's: the generator cuts one block
            ArrayBuffer<?> block = collector.blocks.poll(30, TimeUnit.SECONDS); // liveness bound only
            assertNotNull(block, "the BlockGenerator pushed a block");
            assertEquals(after.stored - before.stored, block.length(), "the block holds exactly what was stored");
            assertEquals(after.admitted - before.admitted, block.length());
            assertEquals(20_000, after.offered - before.offered);
            assertEquals(20_000, after.admitted - before.admitted + after.dropped - before.dropped);
            assertTrue(collector.blocks.isEmpty(), "one block for the 40 calls, not one per call");
            assertEquals(0, supervisor.iteratorCalls);
        } finally {
            stop(generator, sparkTime);
        }
    }

    /**
     * BlockGenerator.stop waits for its timer's next two ticks: move Spark's clock far ahead from here while another
     * thread stops it, so the timer runs out without waiting for real time.
     */
    private static void stop(BlockGenerator generator, ManualClock sparkTime) throws InterruptedException {
        Thread stopper = new Thread(generator::stop, "stop-block-generator");
        stopper.start();
        sparkTime.advance(1_000_000_000L);
        stopper.join(TimeUnit.SECONDS.toMillis(30)); // liveness bound only
        assertFalse(stopper.isAlive(), "the BlockGenerator stopped");
    }

    @Test
    void switchedOffEveryCallKeepsItsOwnBlock() {
        RuntimeFixture.install(clock, "sluice.strategy", "drop", "sluice.bulk.coalesce", "false");
        TestReceiver receiver = new TestReceiver(0);
        new RecordingSupervisor(receiver);
        StreamGates.of(0).learnBound(100);
        congest(receiver, 0);
        assertFalse(BulkCoalescing.applies(StreamGates.of(0)));
        assertFalse(ReceiverHooks.javaIteratorToStore(receiver, chunk(10)) == ReceiverHooks.COALESCED);
    }

    @Test
    void throttleUnboundedAndUncongestedStreamsKeepSparksOwnStore() {
        RuntimeFixture.install(clock, "sluice.strategy", "throttle", "sluice.stream.1.strategy", "drop",
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
        assertEquals(100, StreamGates.of(2).counters().offered(), "a refused coalescing consumes nothing");
    }
}
