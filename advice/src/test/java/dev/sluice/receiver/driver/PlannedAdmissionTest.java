package dev.sluice.receiver.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.sluice.kafka.driver.OffsetRangeSplit;

class PlannedAdmissionTest {

    @Test
    void nothingPlannedReadsMinusOne() {
        PlannedAdmission p = new PlannedAdmission();
        assertFalse(p.any());
        assertEquals(-1, p.bound());
        assertEquals(-1, p.lastBatch());
        assertEquals(-1, p.lag());
        assertEquals(0, p.total());
    }

    @Test
    void lagIsWhatEachPartitionHoldsBeyondThePlannedEndOffset() {
        // latest 10 000 / 30 000 / 500 / 60 000, current 0 / 0 / 500 / 0: 100 000 records wait.
        long[] lags = {10_000, 30_000, 0, 60_000};
        long[] planned = {10, 30, 0, 60};
        PlannedAdmission p = new PlannedAdmission();
        p.batchPlanned(100, lags, planned);
        assertTrue(p.any());
        assertEquals(100, p.bound());
        assertEquals(100, p.lastBatch());
        assertEquals(100, p.total());
        assertEquals((10_000 - 10) + (30_000 - 30) + (60_000 - 60), p.lag());
    }

    @Test
    void aBatchThatTakesEverythingLeavesNoLagAndTotalsAccumulate() {
        PlannedAdmission p = new PlannedAdmission();
        p.batchPlanned(1_000, new long[] {300, 200}, new long[] {300, 200});
        assertEquals(0, p.lag());
        p.batchPlanned(0, new long[] {50, 7}, new long[] {1, 1});
        assertEquals(0, p.bound(), "the floor while batches queue");
        assertEquals(2, p.lastBatch());
        assertEquals(502, p.total());
        assertEquals(55, p.lag());
    }

    /** As Spark's clamp: the end offset is min(current + planned, latest), and a negative lag (current ahead) is none. */
    @Test
    void countsFollowSparksClampWhenAPlanExceedsTheLag() {
        PlannedAdmission p = new PlannedAdmission();
        p.batchPlanned(10, new long[] {5, -3, 8}, new long[] {9, 4, 2});
        assertEquals(5 + 0 + 2, p.lastBatch());
        assertEquals(6, p.lag());
    }

    /** The meter against the split's own output, with lags whose total is known independently. */
    @Test
    void withTheSplitTheLagIsTheBacklogMinusTheBatch() {
        long[] lags = {18_750, 18_750, 18_750, 18_751};
        long backlog = 75_001;
        long[] planned = OffsetRangeSplit.split(700, lags, new long[4], new long[] {1, 1, 1, 1});
        PlannedAdmission p = new PlannedAdmission();
        p.batchPlanned(700, lags, planned);
        assertEquals(700, p.lastBatch());
        assertEquals(backlog - 700, p.lag());
    }
}
