package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProvenThroughputTest {

    /**
     * The test bed's slow start on its job (~250 ms per batch whatever it holds): 1 488 records took 595 ms. Only the
     * 345 ms beyond the overhead scale with records, so twice the records fit the 990 ms target; scaled by 990 ÷ 595
     * the ceiling was 2 476.
     */
    @Test
    void theHeadroomLeavesTheFittedOverheadOut() {
        ProvenThroughput p = new ProvenThroughput(12);
        p.completed(1_488, 595);
        assertEquals(2 * 1_488, p.ceiling(990, 2, 250), 1e-9);
        assertEquals(1_488 * (990 - 250) / (595.0 - 250), p.ceiling(990, 4, 250), 1e-9);
    }

    /** Without an overhead it is the batch's own headroom; an overhead counts at most half of a batch's time. */
    @Test
    void noOverheadIsTheBatchsOwnHeadroomAndAnOverheadCountsAtMostHalfABatch() {
        ProvenThroughput p = new ProvenThroughput(12);
        p.completed(1_000, 800);
        assertEquals(1_000 * 990 / 800.0, p.ceiling(990, 2, 0), 1e-9);
        // an overhead of 700 ms against an 800 ms batch: only 400 ms of it count
        assertEquals(1_000 * (990 - 400) / (800.0 - 400), p.ceiling(990, 2, 700), 1e-9);
    }

    @Test
    void aBatchThatOverranProvesLessThanItsRecords() {
        ProvenThroughput p = new ProvenThroughput(12);
        p.completed(4_000, 1_300);
        assertEquals(4_000 * (990 - 250) / (1_300.0 - 250), p.ceiling(990, 2, 250), 1e-9);
    }
}
