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

    /** Batches of one size whose time swings ±15 %, as measured in spike runs on 2 shared cores. */
    private static BatchCostModel noisyRun() {
        BatchCostModel m = model();
        for (int i = 0; i < 12; i++) {
            m.observe(4_000, i % 2 == 0 ? 850 : 1_150);
        }
        return m;
    }
}
