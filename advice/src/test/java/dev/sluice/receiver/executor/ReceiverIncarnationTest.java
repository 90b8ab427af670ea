package dev.sluice.receiver.executor;

import dev.sluice.receiver.guard.MemoryGuard;
import dev.sluice.strategy.SelfLimitedReceiver;
import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executor stream state lives as long as one receiver incarnation: what the lifecycle advice
 * ({@code ReceiverSupervisor.startReceiver} / {@code stopReceiver}) calls, on real Spark receivers and supervisors.
 */
class ReceiverIncarnationTest {

    /** A receiver that limits itself: its stream gets a pass-through gate, which a later receiver must not inherit. */
    static final class SelfLimiting extends TestReceiver implements SelfLimitedReceiver {
        private static final long serialVersionUID = 1L;

        SelfLimiting(int streamId) {
            super(streamId);
        }
    }

    private static TestReceiver started(TestReceiver r) {
        new RecordingSupervisor(r); // attaches itself
        ReceiverLifecycle.starting(r, r.streamId());
        return r;
    }

    private static ArrayBuffer<Object> records(int n) {
        ArrayBuffer<Object> b = new ArrayBuffer<Object>(n);
        for (int i = 0; i < n; i++) {
            b.$plus$eq(i);
        }
        return b;
    }

    /** Stream ids restart at 0 in a new StreamingContext: the new receiver inherits no flag, gate or bound. */
    @Test
    void aReceiverOfTheNextContextInheritsNothingFromTheLastOneWithItsId() {
        RuntimeFixture.install("sluice.strategy", "drop");
        TestReceiver first = started(new SelfLimiting(0));
        ManagedStream old = StreamGates.of(first);
        ReceiverHooks.gateArrayBuffer(first, records(10), true); // metadata: reliable
        StreamGates.forBound(first, 0).learnBound(50);
        assertTrue(old.isSelfLimited() && old.isReliable());
        ReceiverLifecycle.stopping(first);

        TestReceiver next = started(new TestReceiver(0));
        ManagedStream fresh = StreamGates.of(next);
        assertNotSame(old, fresh);
        assertFalse(fresh.isSelfLimited(), "inherited the pass-through gate");
        assertFalse(fresh.isReliable(), "inherited the reliable flag");
        assertEquals("drop", fresh.strategyName());
        assertTrue(Double.isNaN(fresh.learnedBound()), "inherited the bound " + fresh.learnedBound());
        assertTrue(Double.isInfinite(fresh.effectiveBound()));
        assertEquals(0, fresh.counters().offered());
    }

    @Test
    void aStoppedReceiverIsRetiredFromTheGuardAndTheMetrics() {
        RuntimeFixture.install("sluice.strategy", "drop");
        TestReceiver r = started(new TestReceiver(3));
        ReceiverHooks.discardSingle(r, "x");
        ManagedStream s = StreamGates.of(r);
        assertEquals(1, StreamGates.all().size());
        ReceiverLifecycle.stopping(r);
        assertTrue(s.isRetired());
        assertTrue(StreamGates.all().isEmpty(), "a stopped receiver's stream is still iterated: " + StreamGates.all());
        assertEquals(null, StreamGates.existing(3));
        List<ManagedStream> retired = StreamGates.drainRetired();
        assertEquals(1, retired.size(), "its final counts are reported once");
        assertSame(s, retired.get(0));
        assertTrue(StreamGates.drainRetired().isEmpty());
    }

    /** Nothing of Sluice's keeps running after the receivers stop: the memory-guard thread ends with the last stream. */
    @Test
    void theMemoryGuardStopsWithTheLastStreamAndStartsWithTheNext() throws InterruptedException {
        RuntimeFixture.install(dev.sluice.strategy.builtin.Clock.SYSTEM, false, "sluice.strategy", "drop",
                "sluice.guard.enabled", "true");
        TestReceiver a = started(new TestReceiver(0));
        TestReceiver b = started(new TestReceiver(1));
        assertTrue(MemoryGuard.isRunning());
        ReceiverLifecycle.stopping(a);
        assertTrue(MemoryGuard.isRunning(), "stream 1 is still live");
        ReceiverLifecycle.stopping(b);
        assertFalse(MemoryGuard.isRunning(), "the guard outlived every stream");
        TestReceiver c = started(new TestReceiver(0));
        assertTrue(MemoryGuard.isRunning());
        ReceiverLifecycle.stopping(c);
        assertFalse(MemoryGuard.isRunning());
    }

    /** A restart: flags and gate derived anew; the driver's bound and the counters continue. */
    @Test
    void aRestartStartsANewIncarnationThatKeepsTheBoundAndTheCounters() {
        RuntimeFixture.install("sluice.strategy", "drop");
        TestReceiver r = started(new TestReceiver(1));
        ManagedStream before = StreamGates.of(r);
        ReceiverHooks.gateArrayBuffer(r, records(5), true); // reliable: drop refused, throttle
        StreamGates.forBound(r, 1).learnBound(500);
        assertEquals("throttle", before.strategyName());

        ReceiverLifecycle.stopping(r);
        StreamGates.forBound(r, 1).learnBound(400); // a bound sent between the stop and the start of the restart
        ReceiverLifecycle.starting(r, 1);

        ManagedStream after = StreamGates.of(r);
        assertNotSame(before, after);
        assertTrue(before.isRetired());
        assertFalse(after.isReliable());
        assertEquals("drop", after.strategyName());
        assertEquals(400.0, after.effectiveBound(), 1e-9);
        assertSame(before.counters(), after.counters(), "the same stream on the same executor counts on");
        assertEquals(5, after.counters().admitted());
    }

    /** A receiver of an earlier context that still stores after its stop does not touch the new receiver's stream. */
    @Test
    void aStaleReceiverStoringAfterItsStopDoesNotTouchTheNewOne() {
        RuntimeFixture.install("sluice.strategy", "drop");
        TestReceiver stale = started(new TestReceiver(0));
        ReceiverLifecycle.stopping(stale);
        TestReceiver live = started(new TestReceiver(0));
        ReceiverHooks.discardSingle(stale, "late");
        assertEquals(0, StreamGates.of(live).counters().offered());
        assertSame(StreamGates.of(live), StreamGates.existing(0), "the stale store did not take the slot");
    }

    /** The agent attached to a running executor: no start was seen, the first store creates the incarnation. */
    @Test
    void withoutAStartTheFirstStoreCreatesTheIncarnationAndABoundLearnedBeforeIsKept() {
        RuntimeFixture.install("sluice.strategy", "drop");
        StreamGates.of(5).learnBound(5); // a rate update that arrived before any store
        TestReceiver r = new TestReceiver(5);
        new RecordingSupervisor(r);
        ReceiverHooks.discardSingle(r, "a");
        assertSame(StreamGates.existing(5), StreamGates.of(r));
        assertEquals(5.0, StreamGates.of(r).effectiveBound(), 1e-9);
    }

    /** A graceful stop while a throttled bulk store waits (at 1 record/s, 10 000 records: hours): the wait ends. */
    @Test
    void stoppingTheReceiverEndsAThrottleWaitInProgressAndLosesNothing() throws Exception {
        VirtualClock clock = VirtualClock.holdingSleeps();
        RuntimeFixture.install(clock, false, "sluice.strategy", "throttle", "sluice.throttle.maxWait", "0");
        TestReceiver r = started(new TestReceiver(2));
        StreamGates.forBound(r, 2).learnBound(1);
        AtomicReference<ArrayBuffer<?>> stored = new AtomicReference<ArrayBuffer<?>>();
        Thread storer = new Thread(() -> stored.set(ReceiverHooks.gateArrayBuffer(r, records(10_000), false)),
                "storer");
        storer.start();
        clock.awaitSleeper();
        ReceiverLifecycle.stopping(r);
        clock.release();
        storer.join(30_000); // liveness only
        assertFalse(storer.isAlive(), "the throttle wait outlived the receiver's stop");
        assertEquals(10_000, stored.get().length(), "every record stored");
        ManagedStream s = StreamGates.lastOf(r);
        assertEquals(10_000, s.counters().admitted());
        assertEquals(9_999, s.releasedAtStop(), "the burst (1 record) was paid for, the rest released at the stop");
    }

    /** The deadline applies on the runtime's streams, from sluice.throttle.maxWait. */
    @Test
    void aBulkWaitEndsAtTheConfiguredDeadline() {
        VirtualClock clock = new VirtualClock();
        RuntimeFixture.install(clock, false, "sluice.strategy", "throttle", "sluice.throttle.maxWait", "2s");
        TestReceiver r = started(new TestReceiver(4));
        StreamGates.forBound(r, 4).learnBound(5);
        long t0 = clock.now();
        ArrayBuffer<?> out = ReceiverHooks.gateArrayBuffer(r, records(1_000), false);
        assertEquals(1_000, out.length());
        assertEquals(2_000_000_000L, clock.now() - t0, "waited exactly the deadline");
        ManagedStream s = StreamGates.of(r);
        assertEquals(1, s.expiredWaits());
        assertEquals(1_000 - 1 - 10, s.overdueRecords(), "burst 1 + 5/s x 2 s paid, the rest over the bound");
    }

    /**
     * A throttled iterator store waits before Spark gets the iterator (Spark reserves unroll memory as it pulls
     * elements): the wait is over when the store hands Spark its iterator, and pulling it waits no more.
     */
    @Test
    void aThrottledIteratorStoreWaitsBeforeSparkPullsAnyRecord() {
        VirtualClock clock = new VirtualClock();
        RuntimeFixture.install(clock, false, "sluice.strategy", "throttle");
        TestReceiver r = started(new TestReceiver(6));
        StreamGates.forBound(r, 6).learnBound(100); // burst 20
        List<Object> source = new ArrayList<Object>();
        for (int i = 0; i < 1_000; i++) {
            source.add(i);
        }
        long t0 = clock.now();
        scala.collection.Iterator<?> forSpark = ReceiverHooks.gateScalaIterator(r,
                scala.collection.JavaConverters.asScalaIterator(source.iterator()), false);
        long waitedBefore = clock.now() - t0;
        long sleepsBefore = clock.sleeps();
        int pulled = 0;
        while (forSpark.hasNext()) {
            assertEquals(pulled, forSpark.next());
            pulled++;
        }
        assertEquals(1_000, pulled);
        assertTrue(waitedBefore >= 9_700_000_000L, "waited only " + waitedBefore + " ns before handing over");
        assertEquals(sleepsBefore, clock.sleeps(), "Spark's pull waited");
        assertEquals(1_000, StreamGates.of(r).counters().admitted());

        Iterator<?> javaForSpark = ReceiverHooks.gateJavaIterator(r, source.iterator(), false);
        long sleeps = clock.sleeps();
        assertTrue(sleeps > sleepsBefore, "the java.util.Iterator store waited before handing over too");
        int n = 0;
        while (javaForSpark.hasNext()) {
            javaForSpark.next();
            n++;
        }
        assertEquals(1_000, n);
        assertEquals(sleeps, clock.sleeps());
    }
}
