package dev.sluice.examples.strategy;

import static dev.sluice.examples.strategy.TopKStrategyTest.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.strategy.StrategyContext;
import dev.sluice.strategy.builtin.ChunkSelection;
import dev.sluice.strategy.builtin.RateBudget;
import dev.sluice.strategy.builtin.StrategyFailureListener;
import dev.sluice.strategy.builtin.StreamCounters;
import dev.sluice.strategy.builtin.StreamGate;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** The sliding-window form of the top-K example: the K largest records of the last few minutes, on virtual time. */
class TopKWindowTest {

    static final long SECOND = 1000 * MS;

    final TopKStrategyTest.VirtualClock clock = new TopKStrategyTest.VirtualClock();
    final RateBudget budget = new RateBudget(clock, 200 * MS);

    TopKStrategy windowed(long windowMillis, int k) {
        TopKStrategy s = new TopKStrategy(windowMillis, k, clock::nanoTime);
        s.init(TopKStrategyTest.context(null));
        return s;
    }

    boolean offerAt(TopKStrategy s, long atNanos, double key) {
        clock.now = atNanos;
        return s.admit(key, budget);
    }

    @Test
    void aRecordIsKeptOnlyIfItRanksAmongTheKLargestOfTheWindow() {
        budget.setBound(1_000_000); // permits never the limit here: the ranking decides
        TopKStrategy s = windowed(10_000, 3); // 10 s window in 10 buckets of 1 s
        long t0 = clock.now;
        assertTrue(offerAt(s, t0, 10));
        assertTrue(offerAt(s, t0, 30));
        assertTrue(offerAt(s, t0, 20), "the window holds fewer than K: every record ranks");
        assertFalse(offerAt(s, t0 + SECOND, 5), "below the 3rd largest of the window (10)");
        assertTrue(offerAt(s, t0 + SECOND, 25), "beats 10: now 20, 25, 30");
        assertFalse(offerAt(s, t0 + SECOND, 15), "below the new 3rd largest (20)");
        assertEquals(20, s.threshold());
        // 8 s later the records of t0 are still in the window (a per-interval top-K would have forgotten them).
        assertFalse(offerAt(s, t0 + 8 * SECOND, 19));
        assertTrue(offerAt(s, t0 + 8 * SECOND, 21));
        // Once the buckets of t0 and t0 + 1 s have left the window, it has seen only 19 and 21 (t0 + 8 s; seen counts,
        // kept or not): fewer than K, so any key ranks again.
        assertTrue(offerAt(s, t0 + 11 * SECOND + 500 * MS, 1), "the old largest keys expired");
        assertEquals(1, s.threshold(), "the window now holds 21, 19 and 1");
        assertFalse(offerAt(s, t0 + 11 * SECOND + 600 * MS, 0.5));
    }

    /**
     * A steady stream of uniform keys, 1 000/s for 5 min, K = 100 over a 60 s window: after the first window about K
     * records per window are kept, each among the 100 largest of its last minute, and never more than the budget.
     */
    @Test
    void overAWindowAboutKRecordsAreKeptAndEachRanksInItsWindow() {
        budget.setBound(1000);
        TopKStrategy s = windowed(60_000, 100);
        StreamCounters counters = new StreamCounters();
        StreamGate gate = new StreamGate(0, s, budget, counters, StrategyFailureListener.IGNORE);
        SplittableRandom random = new SplittableRandom(5);
        long start = clock.now;
        TreeMap<Long, Double> offered = new TreeMap<>();
        Map<Long, Double> kept = new TreeMap<>();
        for (int i = 0; i < 300_000; i++) { // 300 s at 1000/s
            long t = start + i * MS;
            clock.now = t;
            double key = random.nextDouble();
            offered.put(t, key);
            if (gate.admitOne(key)) {
                kept.put(t, key);
            }
        }
        // Judged independently of the strategy's structures: rank each kept key among the offered keys of the 60 s
        // (one bucket's slack: 54 s) before it, itself included.
        for (Map.Entry<Long, Double> e : kept.entrySet()) {
            if (e.getKey() - start < 60 * SECOND) {
                continue;
            }
            long larger = offered.subMap(e.getKey() - 54 * SECOND, true, e.getKey(), true).values().stream()
                    .filter(v -> v > e.getValue()).count();
            assertTrue(larger < 100, "a kept key ranked " + (larger + 1) + " in its window");
        }
        long keptAfterFirstWindow = kept.keySet().stream().filter(t -> t - start >= 60 * SECOND).count();
        double perWindow = keptAfterFirstWindow / 4.0;
        assertTrue(perWindow > 50 && perWindow < 200, "kept per 60 s window: " + perWindow);
        assertEquals(counters.offered(), counters.admitted() + counters.dropped());
        assertEquals(300_000, counters.offered());
    }

    @Test
    void theBudgetStillCapsWhatRanks() {
        budget.setBound(10); // 2 per block interval, no more over time than 10/s
        TopKStrategy s = windowed(60_000, 1000);
        int admitted = 0;
        long t0 = clock.now;
        for (int i = 0; i < 1000; i++) { // increasing keys: every one ranks, 1000 within 1 s
            if (offerAt(s, t0 + i * MS, i)) {
                admitted++;
            }
        }
        assertTrue(admitted <= 10 + 2 + 1, "the bound is 10/s, admitted " + admitted + " in 1 s");
        assertTrue(admitted > 0);
    }

    @Test
    void bulkStoresKeepTheLargestCandidatesTheBudgetGrants() {
        budget.setBound(15); // 3 per block interval
        TopKStrategy s = windowed(60_000, 4);
        ChunkSelection first = ChunkSelection.of(1, 9, 2, 8);
        s.admitBulk(first, budget);
        assertEquals(3, first.keptCount(), "4 candidates, 3 permits: the 3 largest");
        assertEquals(1, first.nextKept(0));
        assertEquals(2, first.nextKept(2));
        assertEquals(3, first.nextKept(3));
        clock.now += 1000 * MS; // permits refill; the window still holds 9, 8, 2, 1
        ChunkSelection second = ChunkSelection.of(3, 0, 10);
        s.admitBulk(second, budget);
        assertEquals(2, second.keptCount(), "0 does not rank among 10, 9, 8, 3");
        assertEquals(0, second.nextKept(0));
        assertEquals(2, second.nextKept(1));
    }

    @Test
    void uncongestedEverythingIsKeptAndNothingTracked() {
        TopKStrategy s = windowed(60_000, 2);
        for (int i = 0; i < 100; i++) {
            assertTrue(offerAt(s, clock.now + MS, 100 - i));
        }
        ChunkSelection chunk = ChunkSelection.of(1, 2, 3);
        s.admitBulk(chunk, budget);
        assertTrue(chunk.allKept());
        assertEquals(Double.NEGATIVE_INFINITY, s.threshold());
    }

    @Test
    void theWindowComesFromTheConfigurationToo() {
        TopKStrategy s = new TopKStrategy(clock::nanoTime);
        s.init(params("window", "5m", "k", "100"));
        assertEquals(300_000, s.windowMillis());
        assertEquals(500, TopKStrategy.durationMillis("500ms"));
        assertEquals(2000, TopKStrategy.durationMillis("2"));
        assertEquals(3_600_000, TopKStrategy.durationMillis("1h"));
        assertThrows(NumberFormatException.class, () -> new TopKStrategy(clock::nanoTime).init(params("window", "five minutes")));
        assertThrows(IllegalArgumentException.class, () -> new TopKStrategy(clock::nanoTime).init(params("k", "0")));
        assertEquals(0, new TopKStrategy().windowMillis(), "the per-interval form stays the default");
        assertEquals(300_000, new TopKStrategy(300_000, 100).windowMillis(), "the form a receiver declares in code");
    }

    static StrategyContext params(String... keyValues) {
        Map<String, String> values = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new StrategyContext() {
            @Override
            public int streamId() {
                return 0;
            }

            @Override
            public long blockIntervalMillis() {
                return 200;
            }

            @Override
            public String parameter(String name, String defaultValue) {
                return values.getOrDefault(name, defaultValue);
            }

            @Override
            public long seed() {
                return 1;
            }
        };
    }
}
