package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several receiver threads storing into one stream at once: the counters still add up exactly, throttle loses nothing,
 * and what is admitted stays within the bound over the (virtual) time that passed.
 */
class ConcurrentGateTest {

    static final int THREADS = 4;
    static final int SINGLES_PER_THREAD = 40_000;
    static final int CHUNKS_PER_THREAD = 400;
    static final int CHUNK_SIZE = 50;

    /** A user strategy that fails on its 1000th call, from whichever thread makes it. */
    static final class FailsLater implements CongestionStrategy {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public boolean admit(Object record, Budget budget) {
            check();
            return budget.tryAcquire(1) == 1;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
            check();
            int granted = budget.tryAcquire(chunk.size());
            for (int i = 0; i < granted; i++) {
                chunk.keep(i);
            }
        }

        private void check() {
            if (calls.incrementAndGet() >= 1000) {
                throw new IllegalStateException("fails later");
            }
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"throttle", "drop", "sample", "failing"})
    void countersAddUpUnderConcurrency(String name) throws Exception {
        FakeClock clock = new FakeClock(1_000); // every clock read moves time 1 µs: time passes without sleeping
        RateBudget budget = new RateBudget(clock, 200_000_000L);
        budget.setBound(200_000);
        StreamCounters counters = new StreamCounters();
        AtomicInteger reports = new AtomicInteger();
        CongestionStrategy strategy = name.equals("failing") ? new FailsLater()
                : name.equals("sample") ? new SampleStrategy(5) : Strategies.create(name);
        StreamGate gate = new StreamGate(0, strategy, budget, counters, (id, n, t) -> reports.incrementAndGet());
        long start = clock.now();
        AtomicLong admittedSeen = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = startStoring(go, failures, new AtomicInteger(THREADS), () -> {
            Object[] records = new Object[CHUNK_SIZE];
            for (int i = 0; i < SINGLES_PER_THREAD; i++) {
                if (gate.admitOne(i)) {
                    admittedSeen.incrementAndGet();
                }
                if (i % (SINGLES_PER_THREAD / CHUNKS_PER_THREAD) == 0) {
                    ChunkSelection chunk = ChunkSelection.of(records);
                    gate.admitChunk(chunk);
                    admittedSeen.addAndGet(chunk.keptCount());
                }
            }
        });
        go.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        long total = (long) THREADS * (SINGLES_PER_THREAD + CHUNKS_PER_THREAD * CHUNK_SIZE);
        // total and admittedSeen are counted here, outside the gate; offered, admitted, dropped and stored each at
        // their own point inside it.
        assertEquals(total, counters.offered());
        assertEquals(counters.offered(), counters.admitted() + counters.dropped());
        assertEquals(admittedSeen.get(), counters.admitted());
        assertEquals(admittedSeen.get(), counters.stored());
        double elapsed = (clock.now() - start) / 1e9;
        assertTrue(counters.admitted() <= budget.bound() * elapsed + budget.perInterval(),
                name + ": admitted " + counters.admitted() + " in " + elapsed + " s");
        if (name.equals("throttle")) {
            assertEquals(0, counters.dropped());
        }
        if (name.equals("failing")) {
            assertTrue(counters.strategyErrors() >= 1);
            assertEquals(1, reports.get(), "reported once");
            assertEquals("throttle", gate.strategyName());
        } else {
            assertEquals(0, counters.strategyErrors());
        }
    }

    /**
     * Snapshots taken while several threads store (singles, chunks, weighted stores) through a gate that admits some
     * records and drops others: {@code offered == admitted + dropped} in every snapshot, and no reading ever goes
     * down, snapshot or single getter.
     */
    @ParameterizedTest
    @ValueSource(strings = {"drop", "sample"})
    void everySnapshotAddsUpWhileThreadsStore(String name) throws Exception {
        FakeClock clock = new FakeClock(1_000);
        RateBudget budget = new RateBudget(clock, 200_000_000L);
        budget.setBound(200_000);
        StreamCounters counters = new StreamCounters();
        CongestionStrategy strategy = name.equals("sample") ? new SampleStrategy(9) : Strategies.create(name);
        StreamGate gate = new StreamGate(0, strategy, budget, counters, null);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger storing = new AtomicInteger(THREADS);
        AtomicLong snapshotsTaken = new AtomicLong();
        AtomicBoolean watching = new AtomicBoolean(true); // false once the snapshots stop, even on a failure
        List<Throwable> failures = new ArrayList<>();
        List<Thread> threads = startStoring(go, failures, storing, () -> {
            Object[] records = new Object[CHUNK_SIZE];
            for (int i = 0; i < SINGLES_PER_THREAD; i++) {
                gate.admitOne(i);
                if (i % 10_000 == 5_000) {
                    // Mid-run, let the snapshots catch up: a snapshot taken now sees counts still moving.
                    long target = snapshotsTaken.get() + 2;
                    while (snapshotsTaken.get() < target && watching.get()) {
                        Thread.yield();
                    }
                }
                if (i % (SINGLES_PER_THREAD / CHUNKS_PER_THREAD) == 0) {
                    gate.admitChunk(ChunkSelection.of(records));
                    gate.admitWeighted(3);
                }
            }
        });
        long total = (long) THREADS * (SINGLES_PER_THREAD + CHUNKS_PER_THREAD * (CHUNK_SIZE + 3));
        long snapshots = 0;
        long moving = 0;
        StreamCounters.Snapshot last = counters.snapshot();
        long lastOffered = 0;
        long lastAdmitted = 0;
        long lastDropped = 0;
        go.countDown();
        try {
            while (storing.get() > 0) {
                StreamCounters.Snapshot s = counters.snapshot();
                // Read downstream first: a record in flight can only show as offered and not yet settled.
                assertTrue(s.offered >= s.admitted + s.dropped, "snapshot " + snapshots);
                assertTrue(s.admitted >= s.stored, "snapshot " + snapshots);
                assertTrue(s.admitted >= last.admitted && s.dropped >= last.dropped && s.offered >= last.offered);
                if (s.offered != last.offered && s.offered < total) {
                    moving++;
                }
                long offered = counters.offered();
                long admitted = counters.admitted();
                long dropped = counters.dropped();
                assertTrue(offered >= lastOffered && admitted >= lastAdmitted && dropped >= lastDropped);
                assertTrue(offered >= s.offered && admitted >= s.admitted && dropped >= s.dropped);
                lastOffered = offered;
                lastAdmitted = admitted;
                lastDropped = dropped;
                last = s;
                snapshots++;
                snapshotsTaken.incrementAndGet();
            }
        } finally {
            watching.set(false);
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        StreamCounters.Snapshot end = counters.snapshot();
        assertEquals(total, end.offered);
        assertEquals(end.offered, end.admitted + end.dropped);
        assertEquals(end.admitted, end.stored);
        assertTrue(end.dropped > 0 && end.admitted > 0, end.admitted + " admitted, " + end.dropped + " dropped");
        assertTrue(moving > 0, "snapshots were taken while the counts moved (" + snapshots + " snapshots)");
    }

    /** What each storing thread does. */
    interface StoreLoop {
        void run() throws Exception;
    }

    /**
     * Starts {@link #THREADS} threads that wait for {@code go}, then run {@code loop}; what they throw is collected in
     * {@code failures}, and {@code storing} counts down as each ends.
     */
    static List<Thread> startStoring(CountDownLatch go, List<Throwable> failures, AtomicInteger storing,
                                     StoreLoop loop) {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    loop.run();
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    storing.decrementAndGet();
                }
            }, "store-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        return threads;
    }
}
