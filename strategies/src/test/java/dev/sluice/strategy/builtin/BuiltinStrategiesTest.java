package dev.sluice.strategy.builtin;

import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.sluice.strategy.builtin.SimulatedStream.BLOCK_INTERVAL_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every built-in, single and bulk, offered 5× its bound (1000 records/s, block interval 200 ms):
 * {@code offered = admitted + dropped} exactly, and admitted per block interval {@code <= bound × interval + burst}
 * where the burst is one block interval's worth ({@code perInterval() = 200} records), so {@code <= 400}.
 */
class BuiltinStrategiesTest {

    static final double BOUND = 1000;
    static final double OFFERED = 5 * BOUND;
    static final long PER_INTERVAL = 200;
    static final long ALLOWED_PER_INTERVAL = (long) (BOUND * BLOCK_INTERVAL_NANOS / 1e9) + PER_INTERVAL;

    static CongestionStrategy create(String name) {
        return name.equals("sample") ? new SampleStrategy(7) : Strategies.create(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"throttle", "drop", "sample"})
    void singleStoresAddUpAndStayWithinTheBound(String name) {
        SimulatedStream s = new SimulatedStream(create(name), BOUND).offerSingles(50_000, OFFERED);
        assertEquals(PER_INTERVAL, s.budget.perInterval());
        assertEquals(50_000, s.counters.offered());
        assertEquals(s.counters.offered(), s.counters.admitted() + s.counters.dropped());
        assertEquals(s.counters.admitted(), s.counters.stored());
        assertTrue(s.maxAdmittedInAnInterval() <= ALLOWED_PER_INTERVAL,
                name + ": " + s.maxAdmittedInAnInterval() + " admitted in one interval");
        assertEquals(s.counters.admitted(), s.admittedPerInterval.values().stream().mapToLong(Long::longValue).sum());
    }

    @ParameterizedTest
    @ValueSource(strings = {"throttle", "drop", "sample"})
    void bulkStoresAddUpAndStayWithinTheBound(String name) {
        SimulatedStream s = new SimulatedStream(create(name), BOUND).offerChunks(500, 100, OFFERED);
        assertEquals(50_000, s.counters.offered());
        assertEquals(s.counters.offered(), s.counters.admitted() + s.counters.dropped());
        assertEquals(s.counters.admitted(), s.counters.stored());
        assertTrue(s.maxAdmittedInAnInterval() <= ALLOWED_PER_INTERVAL,
                name + ": " + s.maxAdmittedInAnInterval() + " admitted in one interval");
    }

    @ParameterizedTest
    @ValueSource(strings = {"throttle", "drop", "sample"})
    void surgesAndLullsStayWithinTheBound(String name) {
        SimulatedStream s = new SimulatedStream(create(name), BOUND);
        for (int phase = 0; phase < 10; phase++) { // 0.5 s at 20 000/s, 0.5 s at 500/s, singles and bulks alternating
            boolean surge = phase % 2 == 0;
            double rate = surge ? 20 * BOUND : BOUND / 2;
            if (phase % 4 < 2) {
                s.offerSingles((long) (rate / 2), rate);
            } else {
                s.offerChunks((long) (rate / 2 / 50), 50, rate);
            }
        }
        assertEquals(s.counters.offered(), s.counters.admitted() + s.counters.dropped());
        assertEquals(s.counters.admitted(), s.counters.stored());
        assertTrue(s.maxAdmittedInAnInterval() <= ALLOWED_PER_INTERVAL,
                name + ": " + s.maxAdmittedInAnInterval() + " admitted in one interval");
    }

    @Test
    void throttleLosesNothingAndWaitsWhatTheBoundRequires() {
        SimulatedStream s = new SimulatedStream(new ThrottleStrategy(), BOUND).offerSingles(50_000, OFFERED);
        assertEquals(50_000, s.counters.admitted());
        assertEquals(0, s.counters.dropped());
        // The last of N records is granted when N / bound - burst has passed, (50 000 - 200) ms, or up to one minimum
        // wait later (a waiting thread sleeps until that much time's worth of permits is available).
        long elapsed = s.clock.now() - s.start;
        assertTrue(elapsed >= 49_800e6 - 1e3 && elapsed <= 49_800e6 + RateBudget.MIN_WAIT_NANOS, "elapsed " + elapsed);
        assertEquals(s.clock.sleptNanos.get(), s.counters.throttledNanos());
        assertTrue(s.clock.longestSleep.get() <= RateBudget.MAX_SLICE_NANOS);
    }

    @Test
    void throttleBulkLosesNothingAndWaitsInProportionToSize() {
        SimulatedStream s = new SimulatedStream(new ThrottleStrategy(), BOUND).offerChunks(500, 100, OFFERED);
        assertEquals(50_000, s.counters.admitted());
        assertEquals(0, s.counters.dropped());
        assertEquals(49_800e6, s.clock.now() - s.start, 1e3);

        SimulatedStream big = new SimulatedStream(new ThrottleStrategy(), BOUND).offerChunks(1, 5000, OFFERED);
        assertEquals(5000, big.counters.admitted());
        assertEquals(4_800e6, big.counters.throttledNanos(), 1e3, "(5000 - 200 burst) records at 1 ms each");
        SimulatedStream twice = new SimulatedStream(new ThrottleStrategy(), BOUND).offerChunks(1, 10_200, OFFERED);
        assertEquals(10_000e6, twice.counters.throttledNanos(), 1e3);
    }

    @Test
    void dropNeverBlocksAndAdmitsWhatTheBoundAllows() {
        SimulatedStream single = new SimulatedStream(new DropStrategy(), BOUND).offerSingles(50_000, OFFERED);
        SimulatedStream bulk = new SimulatedStream(new DropStrategy(), BOUND).offerChunks(500, 100, OFFERED);
        for (SimulatedStream s : new SimulatedStream[] {single, bulk}) {
            assertEquals(0, s.clock.sleeps.get(), "drop never waits");
            assertEquals(0, s.counters.throttledNanos());
            double allowed = BOUND * s.elapsedSeconds();
            assertTrue(s.counters.admitted() <= allowed + PER_INTERVAL);
            assertTrue(s.counters.admitted() >= allowed - 100, "admitted " + s.counters.admitted());
        }
    }

    @Test
    void dropBulkKeepsTheFirstGrantedRecords() {
        SimulatedStream s = new SimulatedStream(new DropStrategy(), BOUND);
        ChunkSelection chunk = ChunkSelection.of(new Object[500]);
        s.gate.admitChunk(chunk);
        assertEquals(200, chunk.keptCount());
        assertEquals(199, lastKept(chunk));
        assertEquals(0, chunk.nextKept(0));
        assertEquals(-1, chunk.nextKept(200));
    }

    @Test
    void sampleNeverBlocksAndKeepsAboutTheBound() {
        SimulatedStream single = new SimulatedStream(new SampleStrategy(3), BOUND).offerSingles(50_000, OFFERED);
        SimulatedStream bulk = new SimulatedStream(new SampleStrategy(3), BOUND).offerChunks(500, 100, OFFERED);
        for (SimulatedStream s : new SimulatedStream[] {single, bulk}) {
            assertEquals(0, s.clock.sleeps.get(), "sample never waits");
            double allowed = BOUND * s.elapsedSeconds();
            assertTrue(s.counters.admitted() <= allowed + PER_INTERVAL);
            assertTrue(s.counters.admitted() >= 0.9 * allowed, "admitted " + s.counters.admitted());
        }
    }

    @Test
    void sampleBulkKeepsExactlyTheGrantedNumberInOrder() {
        SimulatedStream s = new SimulatedStream(new SampleStrategy(11), BOUND);
        ChunkSelection chunk = ChunkSelection.of(new Object[1000]);
        s.gate.admitChunk(chunk);
        assertEquals(200, chunk.keptCount());
        assertTrue(lastKept(chunk) > 800, "a sample spreads over the chunk, not the first 200");
        assertFalse(chunk.allKept());
    }

    @Test
    void uncongestedBuiltinsKeepEverythingAndNeverWait() {
        for (String name : Strategies.BUILTIN_NAMES) {
            SimulatedStream s = new SimulatedStream(create(name), 10 * OFFERED).offerSingles(20_000, OFFERED)
                    .offerChunks(100, 100, OFFERED);
            assertEquals(0, s.counters.dropped(), name);
            assertEquals(0, s.clock.sleeps.get(), name);
            SimulatedStream unbounded = new SimulatedStream(create(name), 0).offerSingles(1000, OFFERED);
            assertEquals(1000, unbounded.counters.admitted(), name);
        }
    }

    @Test
    void onlyThrottleIsLossless() {
        assertFalse(new ThrottleStrategy().mayDiscard());
        assertTrue(new DropStrategy().mayDiscard());
        assertTrue(new SampleStrategy().mayDiscard());
    }

    static int lastKept(ChunkSelection chunk) {
        int last = -1;
        for (int i = chunk.nextKept(0); i >= 0; i = chunk.nextKept(i + 1)) {
            last = i;
        }
        return last;
    }
}
