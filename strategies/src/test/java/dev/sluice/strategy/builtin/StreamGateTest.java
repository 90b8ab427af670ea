package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamGateTest {

    static final long BLOCK_INTERVAL = 200_000_000L;

    final FakeClock clock = new FakeClock();
    final RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);
    final StreamCounters counters = new StreamCounters();
    final List<String> reports = new ArrayList<>();
    final StrategyFailureListener listener = (id, name, failure) -> reports.add(id + " " + name + " " + failure);

    /** Works for a while, then throws on every call; discards everything while it works. */
    static final class FailingStrategy implements CongestionStrategy {
        final Throwable failure;
        int calls;

        FailingStrategy(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public boolean admit(Object record, Budget budget) throws InterruptedException {
            if (++calls > 3) {
                throwIt();
            }
            return false;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
            chunk.keep(0);
            throwIt();
        }

        private void throwIt() {
            if (failure instanceof RuntimeException) {
                throw (RuntimeException) failure;
            }
            throw (Error) failure;
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }

    @Test
    void aThrowingStrategyFallsBackToThrottleIsCountedReportedOnceAndLosesNothing() {
        FailingStrategy user = new FailingStrategy(new IllegalStateException("boom"));
        StreamGate gate = new StreamGate(7, user, budget, counters, listener);
        budget.setBound(1000);
        int admitted = 0;
        for (int i = 0; i < 1000; i++) {
            if (gate.admitOne(i)) {
                admitted++;
            }
        }
        assertEquals(3, counters.dropped(), "the strategy's own choices before it failed stand");
        assertEquals(997, admitted, "the record in flight and all later ones are throttled, not lost");
        assertEquals(1, counters.strategyErrors());
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).startsWith("7 " + FailingStrategy.class.getName() + " java.lang.IllegalStateException"));
        assertTrue(gate.fellBack());
        assertEquals("throttle", gate.strategyName());
        assertTrue(gate.strategy() instanceof ThrottleStrategy);
        assertEquals(4, user.calls, "not called again after failing");
        assertEquals(1000, counters.offered());
        assertEquals(counters.offered(), counters.admitted() + counters.dropped());
        assertEquals(admitted, counters.admitted());
        assertEquals(admitted, counters.stored());
        assertTrue(counters.throttledNanos() > 0, "throttle did wait for the bound");
    }

    @Test
    void aThrowingBulkStrategyHasItsChunkThrottledWhole() {
        StreamGate gate = new StreamGate(1, new FailingStrategy(new AssertionError("bad")), budget, counters, listener);
        budget.setBound(1000);
        ChunkSelection chunk = ChunkSelection.of(new Object[500]);
        gate.admitChunk(chunk);
        assertTrue(chunk.allKept());
        assertEquals(500, counters.admitted());
        assertEquals(0, counters.dropped());
        assertEquals(1, counters.strategyErrors());
        assertEquals(1, reports.size());
        assertEquals(300e6, counters.throttledNanos(), 1e3, "500 records, 200 from the burst, 300 at 1 ms");
    }

    @Test
    void virtualMachineErrorsAreNotContained() {
        StreamGate gate = new StreamGate(1, new FailingStrategy(new OutOfMemoryError("test")), budget, counters,
                listener);
        assertThrows(OutOfMemoryError.class, () -> gate.admitChunk(ChunkSelection.of(1, 2, 3)));
        assertEquals(0, counters.strategyErrors());
        assertFalse(gate.fellBack());
    }

    @Test
    void aThrowingListenerIsContainedToo() {
        StreamGate gate = new StreamGate(1, new FailingStrategy(new RuntimeException("x")), budget, counters,
                (id, name, failure) -> {
                    throw new IllegalStateException("listener");
                });
        gate.admitChunk(ChunkSelection.of(1, 2, 3));
        assertEquals(3, counters.admitted());
    }

    @Test
    void everyFailureIsCountedButReportedOnce() {
        CongestionStrategy alwaysThrows = new CongestionStrategy() {
            @Override
            public boolean admit(Object record, Budget budget) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void admitBulk(Chunk chunk, Budget budget) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean mayDiscard() {
                return false;
            }
        };
        StreamGate a = new StreamGate(1, alwaysThrows, budget, counters, listener);
        a.admitOne("x");
        a.admitOne("y");
        assertEquals(1, counters.strategyErrors(), "after the fallback the user strategy is not called again");
        assertEquals(1, reports.size());
        assertEquals(2, counters.admitted());
    }

    @Test
    void interruptedWhileThrottledAdmitsAndRestoresTheFlag() {
        StreamGate gate = new StreamGate(1, new ThrottleStrategy(), budget, counters, listener);
        budget.setBound(10);
        assertTrue(gate.admitOne("burst")); // takes the only permit of the burst
        Thread.currentThread().interrupt();
        try {
            assertTrue(gate.admitOne("in flight"), "throttle never loses a record");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is restored");
            ChunkSelection chunk = ChunkSelection.of(1, 2, 3);
            gate.admitChunk(chunk);
            assertTrue(chunk.allKept());
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(5, counters.admitted());
        assertEquals(0, counters.dropped());
    }

    @Test
    void weightedStoresAreThrottledAndCountedAsTheirWeight() {
        StreamGate gate = new StreamGate(1, new DropStrategy(), budget, counters, listener);
        budget.setBound(1000);
        gate.admitWeighted(1200);
        assertEquals(1200, counters.offered());
        assertEquals(1200, counters.admitted());
        assertEquals(0, counters.dropped());
        assertEquals(1_000e6, counters.throttledNanos(), 1e3, "never cut, even under drop: waited instead");
        gate.admitWeighted(0);
        assertEquals(1200, counters.offered());
    }

    @Test
    void admitChunkNeedsTheRuntimesChunk() {
        StreamGate gate = new StreamGate(1, new DropStrategy(), budget, counters, listener);
        Chunk foreign = new Chunk() {
            @Override
            public int size() {
                return 0;
            }

            @Override
            public Object get(int index) {
                return null;
            }

            @Override
            public void keep(int index) {
            }

            @Override
            public void keepAll() {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> gate.admitChunk(foreign));
    }

    @Test
    void accessorsAndNames() {
        DropStrategy drop = new DropStrategy();
        StreamGate gate = new StreamGate(3, drop, budget, counters, null);
        assertSame(drop, gate.strategy());
        assertSame(budget, gate.budget());
        assertSame(counters, gate.counters());
        assertEquals("drop", gate.strategyName());
        assertEquals(3, gate.streamId());
        assertFalse(gate.fellBack());
    }

    @Test
    void anOutOfRangeKeepIsAStrategyFailure() {
        CongestionStrategy sloppy = new CongestionStrategy() {
            @Override
            public boolean admit(Object record, Budget budget) {
                return true;
            }

            @Override
            public void admitBulk(Chunk chunk, Budget budget) {
                chunk.keep(chunk.size());
            }

            @Override
            public boolean mayDiscard() {
                return true;
            }
        };
        StreamGate gate = new StreamGate(1, sloppy, budget, counters, listener);
        ChunkSelection chunk = ChunkSelection.of(1, 2);
        gate.admitChunk(chunk);
        assertTrue(chunk.allKept());
        assertEquals(1, counters.strategyErrors());
        assertTrue(reports.get(0).contains("IndexOutOfBoundsException"));
    }

    /**
     * The uncongested store path reads the clock once per 64 records (the offered-rate window, which also refreshes the
     * budget's coarse now), with or without a bound far above the rate: throttle and drop take the budget's fast path.
     */
    @Test
    void uncongestedSinglesReadTheClockOncePer64Records() {
        for (String name : new String[] {"throttle", "drop"}) {
            for (double bound : new double[] {0, 1e9, 1e6}) {
                FakeClock c = new FakeClock();
                RateBudget b = new RateBudget(c, BLOCK_INTERVAL);
                b.setBound(bound);
                StreamCounters counts = new StreamCounters();
                StreamGate gate = new StreamGate(0, Strategies.create(name), b, counts, null);
                long before = c.reads.get();
                for (int i = 0; i < 64_000; i++) {
                    c.advance(200_000); // 5000 records/s
                    assertTrue(gate.admitOne(i));
                }
                assertEquals(1000, c.reads.get() - before, name + " bound " + bound);
                assertEquals(64_000, counts.admitted());
                assertEquals(64_000, counts.offered());
            }
        }
    }

    /** The offered-rate window counts what the gate counts: admitted and dropped, single and bulk. */
    @Test
    void theOfferedRateFollowsTheGatesCounts() {
        StreamGate gate = new StreamGate(0, new DropStrategy(), budget, counters, null);
        budget.setBound(100); // far below the offers: most are dropped, and still offered
        for (int i = 0; i < 10_000; i++) {
            clock.advance(200_000); // 5000/s for 2 s
            gate.admitOne(i);
        }
        assertTrue(counters.dropped() > 9000);
        assertEquals(5000, budget.offeredRate(), 100);
        Object[] chunk = new Object[50];
        for (int i = 0; i < 400; i++) {
            clock.advance(1_000_000); // 50 records per ms: 50 000/s for 0.4 s
            gate.admitChunk(ChunkSelection.of(chunk));
        }
        assertEquals(50_000, budget.offeredRate(), 1000);
        // A gate that replaces this one (same budget and counters) keeps the window.
        StreamGate replacement = new StreamGate(0, new PassThroughStrategy(), budget, counters, null);
        for (int i = 0; i < 400; i++) {
            clock.advance(1_000_000);
            replacement.admitChunk(ChunkSelection.of(chunk));
        }
        assertEquals(50_000, budget.offeredRate(), 1000);
        assertEquals(10_000 + 800 * 50, counters.offered());
    }

    @Test
    void offeredIsCountedAtTheEntryNotDerivedFromTheDecisions() {
        StreamGate gate = new StreamGate(1, new DropStrategy(), budget, counters, listener);
        budget.setBound(5); // burst: one record
        gate.offer(3);
        assertTrue(gate.decideOne("a"));
        assertFalse(gate.decideOne("b"), "past the burst");
        ChunkSelection chunk = ChunkSelection.of(1, 2, 3);
        gate.decideChunk(chunk);
        assertEquals(0, counters.admitted() + counters.dropped() + counters.stored(), "decisions count nothing");
        gate.commit(1, 1);
        StreamCounters.Snapshot s = counters.snapshot();
        assertEquals(3, s.offered);
        assertEquals(1, s.unsettled(), "a record whose fate was never committed shows, it is not hidden");
        assertEquals(1, s.admitted - s.stored, "admitted but not (yet) handed to Spark shows too");
        gate.commit(1, 0);
        gate.stored(2);
        assertEquals(0, counters.snapshot().unsettled());
        assertEquals(counters.admitted(), counters.stored());
    }

    @Test
    void weightedStoresAreOfferedAdmittedAndStoredWhole() {
        StreamGate gate = new StreamGate(1, new DropStrategy(), budget, counters, listener);
        gate.admitWeighted(7);
        gate.admitWeighted(0);
        StreamCounters.Snapshot s = counters.snapshot();
        assertEquals(7, s.offered);
        assertEquals(7, s.admitted);
        assertEquals(7, s.stored);
        assertEquals(0, s.dropped);
    }
}
