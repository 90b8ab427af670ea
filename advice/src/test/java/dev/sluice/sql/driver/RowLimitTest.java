package dev.sluice.sql.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RowLimitTest {

    @Test
    void withoutABoundTheSafeStartTimesTheIntervalApplies() {
        assertEquals(200, RowLimit.rows(Double.NaN, 100, 2000, RowLimit.NO_CAP));
    }

    @Test
    void theSafeStartIsTheInitialRateWhenSetElseTheMinimum() {
        assertEquals(5000.0, RowLimit.safeStartRate(5000, 100));
        assertEquals(100.0, RowLimit.safeStartRate(Double.NaN, 100));
    }

    @Test
    void aBoundBecomesRowsPerTriggerCappedByTheUsersLimit() {
        assertEquals(30_000, RowLimit.rows(15_000, 100, 2000, RowLimit.NO_CAP));
        assertEquals(1_000, RowLimit.rows(15_000, 100, 2000, 1_000));
        assertEquals(50, RowLimit.rows(Double.NaN, 100, 2000, 50));
    }

    @Test
    void neverZeroNeverOverflowing() {
        assertEquals(1, RowLimit.rows(0, 100, 2000, RowLimit.NO_CAP));
        assertEquals(Long.MAX_VALUE, RowLimit.rows(Double.POSITIVE_INFINITY, 100, 2000, RowLimit.NO_CAP));
    }
}
