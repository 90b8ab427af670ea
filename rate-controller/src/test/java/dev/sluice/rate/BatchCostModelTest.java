package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchCostModelTest {
    private static BatchCostModel model() {
        return new BatchCostModel(EstimatorSettings.builder(1000).build());
    }

    @Test
    void unknownUntilABatchWithRecordsCompletes() {
        BatchCostModel m = model();
        m.observe(0, 20);
        m.observe(100, 0);
        assertFalse(m.known());
        m.observe(10_000, 1000);
        assertTrue(m.known());
        assertEquals(0.1, m.perRecordMs(), 1e-9);
    }

    @Test
    void separatesOverheadFromPerRecordCostWhenSizesDiffer() {
        BatchCostModel m = model();
        m.observe(20_000, 2050); // 50 ms + 0.1 ms per record
        m.observe(2_000, 250);
        m.observe(9_000, 950);
        assertEquals(50, m.overheadMs(), 1);
        assertEquals(0.1, m.perRecordMs(), 0.001);
        assertEquals((990 - 50) / 0.1, m.recordsPerFullBatch(), 20);
    }

    @Test
    void smallOverheadDominatedBatchesDoNotCollapseTheEstimate() {
        BatchCostModel m = model();
        m.observe(47_000, 5000);
        for (int i = 0; i < 8; i++) {
            m.observe(100, 300); // measured on real Spark: 100 records took 0.18-0.4 s
        }
        assertTrue(m.perRecordMs() < 0.11, "per-record " + m.perRecordMs());
        assertTrue(m.overheadMs() > 200, "overhead " + m.overheadMs());
    }

    @Test
    void slowerBatchOfComparableSizeIsBelievedAtOnce() {
        BatchCostModel m = model();
        for (int i = 0; i < 5; i++) {
            m.observe(9_900, 990);
        }
        m.observe(9_900, 1980);
        assertEquals(0.2, m.perRecordMs(), 1e-9);
    }

    @Test
    void fasterBatchOfComparableSizeIsFollowed() {
        BatchCostModel m = model();
        for (int i = 0; i < 5; i++) {
            m.observe(5_000, 1000);
        }
        m.observe(5_000, 500);
        assertEquals(0.1, m.perRecordMs(), 1e-9);
    }

    @Test
    void noiseWithinTheBandIsSmoothedWithRecentBatchesWeighingMore() {
        BatchCostModel m = model();
        m.observe(10_000, 1000);
        m.observe(10_000, 1080);
        m.observe(10_000, 950);
        // weights 1/4, 1/2, 1 (oldest to newest): (250 + 540 + 950) / 1.75 / 10 000
        assertEquals(1740 / 1.75 / 10_000, m.perRecordMs(), 1e-9);
    }

    @Test
    void overheadNeverExplainsMoreThanHalfTheBatch() {
        BatchCostModel m = model();
        m.observe(10_000, 1000);
        m.observe(10, 2000);
        assertTrue(m.overheadMs() <= 0.5 * 990 + 1e-9);
        assertTrue(m.recordsPerFullBatch() > 0);
    }

    @Test
    void onAQuietClusterTheBandIsTheChangeThreshold() {
        BatchCostModel m = model();
        for (int i = 0; i < 10; i++) {
            m.observe(10_000, i % 2 == 0 ? 980 : 1020); // 2 % noise
        }
        assertEquals(0.15, m.changeThreshold(), 1e-9);
    }

    @Test
    void onANoisyClusterOneSlowBatchIsSmoothedNotBelievedAtOnce() {
        BatchCostModel m = noisyRun();
        double before = m.perRecordMs();
        assertTrue(m.changeThreshold() > 0.3, "threshold " + m.changeThreshold());
        m.observe(4_000, 1_300); // +30 %: within this run's noise (batches of one size took 850-1 150 ms)
        double sample = 1_300 / 4_000.0;
        assertTrue(m.perRecordMs() > before && m.perRecordMs() < before + 0.75 * (sample - before),
                "per-record " + m.perRecordMs() + " (before " + before + ", the batch alone " + sample + ")");
    }

    @Test
    void onANoisyClusterACostDoublingIsStillBelievedAtOnce() {
        BatchCostModel m = noisyRun();
        m.observe(4_000, 2_000); // the cost spike: twice the usual time
        assertEquals(2_000 / 4_000.0, m.perRecordMs(), 1e-9);
    }

    @Test
    void onAQuietClusterOneModeratelySlowBatchIsSetAsideAndASecondIsBelieved() {
        BatchCostModel m = model();
        for (int i = 0; i < 10; i++) {
            m.observe(10_000, i % 2 == 0 ? 980 : 1020);
        }
        double before = m.perRecordMs();
        m.observe(10_000, 1_350); // +35 %: beyond the 15 % band, short of a cost doubling
        assertEquals(before, m.perRecordMs(), 1e-12, "one pause is set aside");
        m.observe(10_000, 1_000);
        assertEquals(before, m.perRecordMs(), 0.01 * before, "a usual batch after it: the pause is forgotten");
        m.observe(10_000, 1_350);
        m.observe(10_000, 1_340); // the second in a row: a new cost
        assertEquals(0.134, m.perRecordMs(), 1e-9);
    }

    /**
     * The test bed's spike on its job (300 ms + 0.16 ms/record): the cost doubles, ten batches of one size run at the
     * spike's cost (the overhead, unconfirmed, decays to ~100 ms), then a batch of that size runs at the usual cost
     * again. Taken alone (the window restarted from it with the decayed overhead) it read the per-record cost 60 % high
     * and the full batch at 3 437 records instead of 4 312; it is nearer the line before the spike, which is restored.
     */
    @Test
    void aBatchBackAtTheCostBeforeASpikeRestoresTheLineBeforeIt() {
        BatchCostModel m = model();
        for (long n : new long[] {1_000, 4_000, 2_500, 3_500}) {
            m.observe(n, Math.round(300 + 0.16 * n));
        }
        double fullBefore = m.recordsPerFullBatch();
        assertEquals((990 - 300) / 0.16, fullBefore, 50);
        m.observe(3_500, Math.round(300 + 0.32 * 3_500)); // the spike: believed at once
        for (int i = 0; i < 10; i++) {
            m.observe(2_000, Math.round(300 + 0.32 * 2_000));
        }
        assertTrue(m.overheadMs() < 150, "the overhead decayed during the spike: " + m.overheadMs());
        m.observe(2_000, Math.round(300 + 0.16 * 2_000));
        assertEquals(fullBefore, m.recordsPerFullBatch(), 1e-6);
        assertEquals(0.16, m.perRecordMs(), 0.001);
    }

    /** A fast batch during a spike that is nearer the spike's line than the line before it does not end the spike. */
    @Test
    void aFastBatchNearerTheSpikesLineDoesNotRestoreTheLineBeforeIt() {
        BatchCostModel m = model();
        for (long n : new long[] {1_000, 4_000, 2_500, 3_500}) {
            m.observe(n, Math.round(300 + 0.16 * n));
        }
        m.observe(3_500, Math.round(300 + 0.32 * 3_500));
        for (int i = 0; i < 10; i++) {
            m.observe(2_000, Math.round(300 + 0.32 * 2_000));
        }
        m.observe(2_000, 780); // 17 % under the spike's line (940 ms), 26 % over the line before it (620 ms)
        assertTrue(m.perRecordMs() > 0.3, "per-record " + m.perRecordMs());
    }

    /** Batches of one size whose time swings ±15 %, as measured in spike runs on 2 shared cores. */
    private static BatchCostModel noisyRun() {
        BatchCostModel m = model();
        for (int i = 0; i < 12; i++) {
            m.observe(4_000, i % 2 == 0 ? 850 : 1_150);
        }
        return m;
    }
}
