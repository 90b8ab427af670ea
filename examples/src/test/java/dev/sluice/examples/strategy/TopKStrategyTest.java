package dev.sluice.examples.strategy;

import dev.sluice.strategy.StrategyContext;
import dev.sluice.strategy.builtin.ChunkSelection;
import dev.sluice.strategy.builtin.Clock;
import dev.sluice.strategy.builtin.RateBudget;
import dev.sluice.strategy.builtin.StrategyFailureListener;
import dev.sluice.strategy.builtin.StreamCounters;
import dev.sluice.strategy.builtin.StreamGate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopKStrategyTest {

    static final long MS = 1_000_000L;

    /** Virtual time shared by the budget and the strategy; sleeping advances it. */
    static final class VirtualClock implements Clock {
        long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += nanos;
        }
    }

    static StrategyContext context(String field) {
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
                return name.equals("field") && field != null ? field : defaultValue;
            }

            @Override
            public long seed() {
                return 1;
            }
        };
    }

    final VirtualClock clock = new VirtualClock();
    final RateBudget budget = new RateBudget(clock, 200 * MS);
    final StreamCounters counters = new StreamCounters();

    TopKStrategy strategy(String field) {
        TopKStrategy s = new TopKStrategy(clock::nanoTime);
        s.init(context(field));
        return s;
    }

    @Test
    void keysOfNumbersTextAndOtherObjects() {
        TopKStrategy s = strategy(null);
        assertEquals(3.5, s.key(3.5f), 1e-9);
        assertEquals(42, s.key(42L));
        assertEquals(42.5, s.key("sensor-7, 42.5, ok"));
        assertEquals(17, s.key("17 apples"));
        assertEquals(-3e2, s.key("id,x,-3e2"));
        assertEquals(Double.NEGATIVE_INFINITY, s.key("no numbers here"));
        assertEquals(Double.NEGATIVE_INFINITY, s.key(""));
        assertEquals(Double.NEGATIVE_INFINITY, s.key(null));
        Object other = Arrays.asList(1, 2);
        assertEquals(other.hashCode(), s.key(other));
        TopKStrategy third = strategy("2");
        assertEquals(30, third.key("10,20,30,40"));
        assertEquals(Double.NEGATIVE_INFINITY, third.key("10,20,abc"), "the configured field is not a number");
    }

    @Test
    void bulkKeepsExactlyTheLargestGrantedInOriginalOrder() {
        budget.setBound(1000); // 200 per block interval
        StreamGate gate = new StreamGate(0, strategy(null), budget, counters, StrategyFailureListener.IGNORE);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            values.add(i);
        }
        Collections.shuffle(values, new java.util.Random(3));
        ChunkSelection chunk = ChunkSelection.of(values);
        gate.admitChunk(chunk);
        assertEquals(200, chunk.keptCount());
        int previousPosition = -1;
        for (int i = chunk.nextKept(0); i >= 0; i = chunk.nextKept(i + 1)) {
            assertTrue(values.get(i) >= 800, "kept " + values.get(i));
            assertTrue(i > previousPosition);
            previousPosition = i;
        }
        assertEquals(1000, counters.offered());
        assertEquals(800, counters.dropped());
    }

    @Test
    void bulkTiesKeepTheEarliest() {
        budget.setBound(15); // 3 per block interval
        TopKStrategy s = strategy(null);
        ChunkSelection chunk = ChunkSelection.of(1, 5, 5, 2, 5, 5);
        s.admitBulk(chunk, budget);
        assertEquals(3, chunk.keptCount());
        assertEquals(1, chunk.nextKept(0));
        assertEquals(2, chunk.nextKept(2));
        assertEquals(4, chunk.nextKept(3));
        assertEquals(-1, chunk.nextKept(5));
    }

    @Test
    void uncongestedBulkKeepsAll() {
        TopKStrategy s = strategy(null);
        ChunkSelection unbounded = ChunkSelection.of(3, 1, 2);
        s.admitBulk(unbounded, budget);
        assertTrue(unbounded.allKept());
        budget.setBound(1000);
        ChunkSelection small = ChunkSelection.of(3, 1, 2);
        s.admitBulk(small, budget);
        assertTrue(small.allKept());
    }

    /**
     * Single records, 5000/s of uniformly random keys, bound 1000/s (K = 200 per 200 ms interval): after the first
     * interval, the threshold is the previous interval's 200th largest key (about the 80th percentile), only records
     * at or above it are admitted, and about K per interval get through.
     */
    @Test
    void singleRecordsAboveThePreviousIntervalsKthLargestAreAdmitted() {
        budget.setBound(1000);
        TopKStrategy s = strategy(null);
        StreamGate gate = new StreamGate(0, s, budget, counters, StrategyFailureListener.IGNORE);
        SplittableRandom random = new SplittableRandom(9);
        long start = clock.now;
        int[] admittedPerInterval = new int[50];
        double minAdmittedAfterFirst = Double.POSITIVE_INFINITY;
        for (int i = 0; i < 50_000; i++) { // 10 s at 5000/s
            clock.now = start + i * 200_000L;
            double key = random.nextDouble();
            if (gate.admitOne(key)) {
                int interval = (int) ((clock.now - start) / (200 * MS));
                admittedPerInterval[interval]++;
                if (interval > 0) {
                    minAdmittedAfterFirst = Math.min(minAdmittedAfterFirst, key);
                }
            }
        }
        assertEquals(0.8, s.threshold(), 0.03, "the 200th largest of ~1000 uniform keys");
        assertTrue(minAdmittedAfterFirst > 0.7, "only high keys pass once a threshold exists: " + minAdmittedAfterFirst);
        for (int i = 1; i < 50; i++) {
            assertTrue(admittedPerInterval[i] > 120 && admittedPerInterval[i] <= 400,
                    "interval " + i + ": " + admittedPerInterval[i]);
        }
        assertEquals(counters.offered(), counters.admitted() + counters.dropped());
        assertEquals(0, counters.strategyErrors());
    }

    @Test
    void aShiftUpInKeysIsFollowedOneIntervalLater() {
        budget.setBound(1000);
        TopKStrategy s = strategy(null);
        long start = clock.now;
        for (int i = 0; i < 2000; i++) { // two intervals of keys 0..999
            clock.now = start + i * 200_000L;
            s.admit((double) (i % 1000), budget);
        }
        assertEquals(800, s.threshold(), 1e-9);
        for (int i = 2000; i < 3000; i++) { // keys jump to 10 000+: all above the old threshold, budget caps them
            clock.now = start + i * 200_000L;
            s.admit(10_000.0 + i % 1000, budget);
        }
        clock.now += 200 * MS;
        s.admit(0.0, budget);
        assertEquals(10_800, s.threshold(), 1e-9);
    }

    @Test
    void aBoundChangeMidIntervalKeepsTheRanking() {
        budget.setBound(1000); // K = 200
        TopKStrategy s = strategy(null);
        long start = clock.now;
        for (int i = 0; i < 1000; i++) { // one interval of keys 0..999
            clock.now = start + i * 200_000L;
            if (i == 500) {
                budget.setBound(500); // K = 100: the smallest ranked keys are dropped, the ranking goes on
            }
            s.admit((double) i, budget);
        }
        clock.now = start + 200 * MS;
        s.admit(0.0, budget);
        assertEquals(900, s.threshold(), 1e-9, "the 100th largest of 0..999");
        budget.setBound(1005); // K = 201 from now on
        for (int i = 1; i < 1000; i++) {
            clock.now = start + 200 * MS + i * 200_000L;
            s.admit((double) i, budget);
        }
        clock.now = start + 400 * MS;
        s.admit(0.0, budget);
        assertEquals(799, s.threshold(), 1e-9, "the 201st largest of 0..999");
    }

    @Test
    void afterAnIdleIntervalEverythingCompetesAgain() {
        budget.setBound(1000);
        TopKStrategy s = strategy(null);
        for (int i = 0; i < 1000; i++) {
            clock.now += 200_000L;
            s.admit((double) i, budget);
        }
        clock.now += 1_000 * MS;
        assertTrue(s.admit(1.0, budget), "the threshold of a stale interval does not apply");
        assertEquals(Double.NEGATIVE_INFINITY, s.threshold());
    }

    @Test
    void unboundedAdmitsEverythingWithoutRanking() {
        TopKStrategy s = strategy(null);
        for (int i = 0; i < 1000; i++) {
            assertTrue(s.admit(-i, budget));
        }
        assertEquals(Double.NEGATIVE_INFINITY, s.threshold());
        assertTrue(s.mayDiscard());
    }

    @Test
    void aSubclassRanksByItsOwnKey() {
        budget.setBound(10); // 2 per interval
        TopKStrategy shortestFirst = new TopKStrategy(clock::nanoTime) {
            @Override
            protected double key(Object record) {
                return -record.toString().length();
            }
        };
        ChunkSelection chunk = ChunkSelection.of("long record", "a", "medium", "bb");
        shortestFirst.admitBulk(chunk, budget);
        assertEquals(Arrays.asList(1, 3), Arrays.asList(chunk.nextKept(0), chunk.nextKept(2)));
        assertEquals(2, chunk.keptCount());
    }

    @Test
    void loadsByClassNameLikeAnyUserStrategy() {
        assertTrue(dev.sluice.strategy.builtin.Strategies.create(TopKStrategy.class.getName()) instanceof TopKStrategy);
    }
}
