package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatchUpTest {

    private static final long TRIGGER = 2000;

    /** 1 000 rows readable at 0, then 100 rows/s from 0 on. */
    private static final LongUnaryOperator READABLE = t -> t < 0 ? 0 : 1000 + t / 10;

    @Test
    void caughtUpAtTheFirstBatchThatLeftLessThanOneTriggerOfArrivalsUnread() {
        List<SqlBatch> batches = List.of(
                new SqlBatch(0, 400, 2000, 0),      // ends 2 000: read 400, readable by 0 was 1 000
                new SqlBatch(1, 700, 2000, 2000),   // ends 4 000: read 1 100, readable by 2 000 was 1 200
                new SqlBatch(2, 300, 1000, 4000),   // ends 5 000: read 1 400, readable by 3 000 was 1 300: caught up
                new SqlBatch(3, 100, 500, 6000));
        CatchUp c = CatchUp.of(batches, READABLE, TRIGGER);
        assertTrue(c.caughtUp());
        assertEquals(2, c.batchIndex());
        assertEquals(5000, c.ms());
        assertEquals(1400, c.rows());
        assertEquals(280.0, c.rowsPerSecond(), 1e-9);
    }

    @Test
    void oneBigBatchOverTheBacklogIsNotCaughtUpWhileArrivalsPiledUpBehindIt() {
        // Batch 0 takes the whole backlog but runs 30 s; 3 000 rows arrived meanwhile, the next batch takes them.
        List<SqlBatch> batches = List.of(new SqlBatch(0, 1000, 30_000, 0), new SqlBatch(1, 3000, 10_000, 30_000),
                new SqlBatch(2, 1000, 1500, 40_000));
        CatchUp c = CatchUp.of(batches, READABLE, TRIGGER);
        assertEquals(2, c.batchIndex());
        assertEquals(41_500, c.ms());
    }

    @Test
    void neverCaughtUpSpansTheWholeRun() {
        List<SqlBatch> batches = List.of(new SqlBatch(0, 10, 2000, 0), new SqlBatch(1, 10, 2000, 2000));
        CatchUp c = CatchUp.of(batches, READABLE, TRIGGER);
        assertFalse(c.caughtUp());
        assertEquals(-1, c.batchIndex());
        assertEquals(4000, c.ms());
        assertEquals(20, c.rows());
    }

    @Test
    void noBatchNoDrain() {
        CatchUp c = CatchUp.of(List.of(), READABLE, TRIGGER);
        assertFalse(c.caughtUp());
        assertEquals(0, c.rowsPerSecond());
    }
}
