package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user strategy whose call does not return cannot hold the receiver past {@code sluice.userStrategy.deadline}: the
 * watcher's check (driven here with explicit times, never the wall clock) counts a strategy error, switches the stream
 * to throttle, interrupts the stuck call, and the record is stored, not lost. The storing thread is a real thread
 * blocked in the strategy; the test only waits on latches for it.
 */
class StrategyDeadlineTest {

    static final long DEADLINE = TimeUnit.SECONDS.toNanos(2);

    final RateBudget budget = new RateBudget(new FakeClock(), 200_000_000L);
    final StreamCounters counters = new StreamCounters();
    final List<Throwable> reported = new CopyOnWriteArrayList<>();

    /** Blocks in admit until released; with {@code interruptible} false it ignores interrupts (a slow strategy). */
    static class StuckStrategy implements CongestionStrategy {
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final boolean interruptible;
        final AtomicInteger calls = new AtomicInteger();

        StuckStrategy(boolean interruptible) {
            this.interruptible = interruptible;
        }

        @Override
        public boolean admit(Object record, Budget budget) throws InterruptedException {
            calls.incrementAndGet();
            inside.countDown();
            if (interruptible) {
                release.await();
            } else {
                boolean interrupted = false;
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt(); // a well-behaved strategy keeps the flag
                }
            }
            return false; // would discard: ignored once the deadline passed
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) throws InterruptedException {
            admit(null, budget);
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }

    StreamGate gate(CongestionStrategy strategy) {
        StreamGate g = new StreamGate(0, strategy, budget, counters, (id, name, failure) -> reported.add(failure));
        g.setStrategyDeadlineNanos(DEADLINE);
        return g;
    }

    /** Runs one admitOne on its own thread; returns its decision and whether the thread was left interrupted. */
    static final class Store extends Thread {
        final StreamGate gate;
        final AtomicReference<Boolean> admitted = new AtomicReference<>();
        final AtomicBoolean leftInterrupted = new AtomicBoolean();

        Store(StreamGate gate) {
            super("receiver-store");
            this.gate = gate;
            setDaemon(true);
        }

        @Override
        public void run() {
            admitted.set(gate.admitOne("record"));
            leftInterrupted.set(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void aBlockedCallIsInterruptedAtTheDeadlineAndItsRecordStored() throws Exception {
        StuckStrategy strategy = new StuckStrategy(true);
        StreamGate gate = gate(strategy);
        Store store = new Store(gate);
        store.start();
        assertTrue(strategy.inside.await(10, TimeUnit.SECONDS), "the store never reached the strategy");

        assertFalse(gate.checkStrategyDeadline(0), "first sight of the call");
        assertFalse(gate.checkStrategyDeadline(DEADLINE - 1), "before the deadline");
        assertTrue(gate.checkStrategyDeadline(DEADLINE), "at the deadline");
        store.join(10_000);

        assertFalse(store.isAlive(), "the receiver thread is still held by the strategy");
        assertEquals(Boolean.TRUE, store.admitted.get(), "the record in flight is stored (throttle), not dropped");
        assertFalse(store.leftInterrupted.get(), "Sluice's interrupt leaked into the receiver's code");
        assertEquals(1, counters.strategyErrors());
        assertEquals("throttle", gate.strategyName());
        assertTrue(gate.fellBack());
        assertEquals(1, reported.size());
        assertInstanceOf(StrategyDeadlineExceeded.class, reported.get(0));
        assertTrue(reported.get(0).getMessage().contains("2000 ms"), reported.get(0).getMessage());
        assertEquals(1, counters.offered());
        assertEquals(1, counters.admitted());
        assertEquals(0, counters.dropped());
        assertEquals(1, counters.stored());
        // Later records go to throttle: the strategy is never called again, the deadline never fires again.
        assertTrue(gate.admitOne("next"));
        assertEquals(1, strategy.calls.get());
        assertFalse(gate.checkStrategyDeadline(10 * DEADLINE));
        assertEquals(1, counters.strategyErrors());
    }

    @Test
    void aSlowCallThatIgnoresTheInterruptIsAbandonedAndItsDiscardNotHonoured() throws Exception {
        StuckStrategy strategy = new StuckStrategy(false);
        StreamGate gate = gate(strategy);
        Store store = new Store(gate);
        store.start();
        assertTrue(strategy.inside.await(10, TimeUnit.SECONDS));
        assertFalse(gate.checkStrategyDeadline(5));
        assertTrue(gate.checkStrategyDeadline(5 + DEADLINE));
        // The stream already throttles for every other caller while the slow call is still inside the strategy.
        assertEquals("throttle", gate.strategyName());
        assertTrue(store.isAlive());
        strategy.release.countDown();
        store.join(10_000);
        assertFalse(store.isAlive());
        assertEquals(Boolean.TRUE, store.admitted.get(), "the strategy's late 'discard' was honoured");
        assertFalse(store.leftInterrupted.get(), "Sluice's interrupt leaked into the receiver's code");
        assertEquals(0, counters.dropped());
        assertEquals(1, counters.admitted());
        assertEquals(1, counters.strategyErrors());
    }

    @Test
    void aBlockedBulkCallKeepsEveryRecord() throws Exception {
        StuckStrategy strategy = new StuckStrategy(true);
        StreamGate gate = gate(strategy);
        ChunkSelection chunk = ChunkSelection.of(1, 2, 3, 4, 5, 6, 7);
        Thread store = new Thread(() -> gate.admitChunk(chunk), "receiver-bulk");
        store.setDaemon(true);
        store.start();
        assertTrue(strategy.inside.await(10, TimeUnit.SECONDS));
        assertFalse(gate.checkStrategyDeadline(0));
        assertTrue(gate.checkStrategyDeadline(DEADLINE));
        store.join(10_000);
        assertFalse(store.isAlive());
        assertEquals(7, counters.admitted());
        assertEquals(7, counters.stored());
        assertEquals(0, counters.dropped());
    }

    /** Calls that keep finishing are never overdue, however long the watcher has watched the stream. */
    @Test
    void callsThatFinishAreNeverOverdue() {
        StrategyCallWatch watch = new StrategyCallWatch();
        watch.enter();
        assertFalse(watch.overdue(0, DEADLINE));
        assertFalse(watch.exit());
        watch.enter();
        assertFalse(watch.overdue(DEADLINE, DEADLINE), "a new call, seen for the first time");
        assertFalse(watch.exit());
        assertFalse(watch.overdue(100 * DEADLINE, DEADLINE), "nothing in flight");
        watch.enter();
        assertFalse(watch.overdue(101 * DEADLINE, DEADLINE));
        assertTrue(watch.overdue(102 * DEADLINE, DEADLINE), "in flight, none finished for the deadline");
        watch.expire();
        assertFalse(watch.overdue(103 * DEADLINE, DEADLINE), "given up once");
        // The watch interrupted this (the calling) thread; its exit clears that interrupt.
        assertTrue(watch.exit());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /**
     * When the stuck thread sees the interrupt, the stream has already left the strategy, so the thread's next record
     * goes to throttle. Seen on real Spark with the opposite order (interrupt, then switch): the receiver's next record
     * went back into the blocking strategy, which held it until the receiver stopped.
     */
    @Test
    void theStreamLeavesTheStrategyBeforeTheInterrupt() throws Exception {
        AtomicReference<StreamGate> gateRef = new AtomicReference<>();
        AtomicReference<String> seenAtInterrupt = new AtomicReference<>();
        StuckStrategy blocks = new StuckStrategy(true) {
            @Override
            public boolean admit(Object record, Budget budget) throws InterruptedException {
                inside.countDown(); // the field of StuckStrategy
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    seenAtInterrupt.set(gateRef.get().strategyName());
                    throw e;
                }
                return false;
            }
        };
        StreamGate gate = gate(blocks);
        gateRef.set(gate);
        Store store = new Store(gate);
        store.start();
        assertTrue(blocks.inside.await(10, TimeUnit.SECONDS));
        assertFalse(gate.checkStrategyDeadline(0));
        assertTrue(gate.checkStrategyDeadline(DEADLINE));
        store.join(10_000);
        assertFalse(store.isAlive());
        assertEquals("throttle", seenAtInterrupt.get(), "interrupted while the stream still used the strategy");
    }

    @Test
    void builtInsAndANoDeadlineSettingAreNotWatched() throws Exception {
        StreamGate throttle = new StreamGate(0, new ThrottleStrategy(), budget, counters, null);
        throttle.setStrategyDeadlineNanos(DEADLINE);
        assertFalse(throttle.checkStrategyDeadline(0));
        assertFalse(throttle.checkStrategyDeadline(100 * DEADLINE));

        StuckStrategy strategy = new StuckStrategy(true);
        StreamGate gate = new StreamGate(0, strategy, budget, counters, null);
        gate.setStrategyDeadlineNanos(0); // sluice.userStrategy.deadline=0: no deadline
        Store store = new Store(gate);
        store.start();
        assertTrue(strategy.inside.await(10, TimeUnit.SECONDS));
        assertFalse(gate.checkStrategyDeadline(0));
        assertFalse(gate.checkStrategyDeadline(100 * DEADLINE));
        assertTrue(store.isAlive());
        strategy.release.countDown();
        store.join(10_000);
        assertEquals(Boolean.FALSE, store.admitted.get(), "without a deadline the strategy's decision stands");
    }
}
