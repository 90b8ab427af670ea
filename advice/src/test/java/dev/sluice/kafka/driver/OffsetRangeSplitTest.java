package dev.sluice.kafka.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class OffsetRangeSplitTest {

    private static final long[] NO_CAP = {0, 0, 0, 0};
    private static final long[] MIN_ONE = {1, 1, 1, 1};

    @Test
    void splitsInProportionToLagAndUsesTheWholeBound() {
        long[] out = OffsetRangeSplit.split(1000, new long[] {100_000, 300_000, 0, 600_000}, NO_CAP, MIN_ONE);
        assertArrayEquals(new long[] {100, 300, 0, 600}, out);
    }

    @Test
    void remaindersGoToTheLargestFractionsSoTheTotalIsTheBound() {
        long[] out = OffsetRangeSplit.split(10, new long[] {1000, 1000, 1000, 0}, NO_CAP, MIN_ONE);
        assertEquals(10, sum(out), "3.33 each floors to 9; the leftover record must be placed");
        for (long v : new long[] {out[0], out[1], out[2]}) {
            assertTrue(v == 3 || v == 4, "each partition gets 3 or 4: " + java.util.Arrays.toString(out));
        }
    }

    @Test
    void neverBelowOneRecordForAPartitionWithLagEvenUnderATinyBound() {
        long[] out = OffsetRangeSplit.split(2, new long[] {1_000_000, 5, 1, 0}, NO_CAP, MIN_ONE);
        assertArrayEquals(new long[] {2, 1, 1, 0}, out);
    }

    @Test
    void neverAboveTheUsersMaxRatePerPartitionNorTheLag() {
        // As in Spark, what a capped partition cannot take is not given to the others: shares follow the lag.
        long[] out = OffsetRangeSplit.split(10_000, new long[] {50_000, 50_000, 30, 50_000},
                new long[] {1_000, 1_000, 1_000, 1_000}, MIN_ONE);
        assertArrayEquals(new long[] {1_000, 1_000, 2, 1_000}, out);
        assertArrayEquals(new long[] {1_000, 20, 1_000}, OffsetRangeSplit.split(100_000, new long[] {5_000, 20, 5_000},
                new long[] {1_000, 1_000, 1_000}, new long[] {1, 1, 1}));
    }

    @Test
    void theUsersMinRatePerPartitionIsHonouredAsSparkDoes() {
        long[] out = OffsetRangeSplit.split(4, new long[] {1000, 1000, 1000, 1000}, NO_CAP, new long[] {5, 5, 5, 5});
        assertArrayEquals(new long[] {5, 5, 5, 5}, out);
    }

    @Test
    void noLagNoRecords() {
        assertArrayEquals(new long[4], OffsetRangeSplit.split(1000, new long[] {0, -3, 0, 0}, NO_CAP, MIN_ONE));
    }

    @Test
    void randomSplitsRespectEveryRule() {
        Random r = new Random(42);
        for (int round = 0; round < 10_000; round++) {
            int n = 1 + r.nextInt(8);
            long[] lags = new long[n];
            long[] max = new long[n];
            long[] min = new long[n];
            for (int i = 0; i < n; i++) {
                lags[i] = r.nextInt(4) == 0 ? 0 : r.nextInt(100_000);
                max[i] = r.nextBoolean() ? 0 : 1 + r.nextInt(5_000);
                min[i] = 1;
            }
            double bound = r.nextInt(50_000);
            long[] out = OffsetRangeSplit.split(bound, lags, max, min);
            long totalLag = java.util.Arrays.stream(lags).sum();
            long proportional = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(out[i] <= lags[i], "above the lag");
                if (lags[i] > 0) {
                    assertTrue(out[i] >= 1, "a partition with lag starved");
                }
                if (max[i] > 0) {
                    assertTrue(out[i] <= Math.max(1, max[i]), "above maxRatePerPartition");
                }
                if (totalLag > 0) {
                    double share = bound * lags[i] / totalLag;
                    proportional += (long) Math.floor(Math.min(share, max[i] > 0 ? Math.min(lags[i], max[i]) : lags[i]));
                }
            }
            long withLag = java.util.Arrays.stream(lags).filter(l -> l > 0).count();
            assertTrue(sum(out) <= Math.floor(bound) + withLag, "total " + sum(out) + " over bound " + bound);
            assertTrue(sum(out) >= proportional, "bound " + bound + " lag " + totalLag + ": only " + sum(out));
            if (java.util.Arrays.stream(max).allMatch(m -> m == 0)) {
                assertTrue(sum(out) >= Math.min(Math.floor(bound), totalLag), "uncapped: the whole bound is used");
            }
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
