package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
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
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "store-" + t);
            threads.add(thread);
            thread.start();
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        long total = (long) THREADS * (SINGLES_PER_THREAD + CHUNKS_PER_THREAD * CHUNK_SIZE);
        assertEquals(total, counters.offered());
        assertEquals(total, counters.admitted() + counters.dropped());
        assertEquals(counters.admitted(), admittedSeen.get());
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
}
