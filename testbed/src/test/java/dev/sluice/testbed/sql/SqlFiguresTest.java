package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SqlFiguresTest {

    private static final SqlScenario S = SqlScenario.BACKLOG_SPIKE;

    private static SqlRunData run(List<SqlBatch> batches) {
        // 60 000 rows readable before the query's start (0), 125 rows/s from it on
        return new SqlRunData(SqlMode.NONE, "none", null, batches, 0, t -> t < 0 ? 60_000 : 60_000 + t * 125 / 1000,
                0, new SqlRunData.SpikeRows(70_625, 73_750), SinkAudit.of(new long[] {1}, new long[] {1}), "");
    }

    @Test
    void aStockRunsFigures() {
        SqlFigures f = SqlFigures.of(run(List.of(new SqlBatch(0, 60_000, 92_000, 0),
                new SqlBatch(1, 11_500, 19_000, 92_000), new SqlBatch(2, 2_400, 1_900, 111_000),
                new SqlBatch(3, 250, 500, 113_000))), S);
        assertEquals(4, f.batches());
        assertEquals(60_000, f.firstRows());
        assertEquals(2, f.overTwo());
        assertEquals(0, f.backlog().batchIndex());
        assertEquals(2, f.drain().batchIndex()); // 73 900 read by 112 900; 73 862 readable at 110 900
        assertEquals(60_000 * 1000.0 / 92_000, f.capacity(), 1e-9); // batch 0 alone started before the spike
        assertEquals(74_150, f.rowsRead());
        assertEquals(3_125, f.spikeRowsRead());
        assertEquals("4 batches, first 60000 rows in 92.0 s, >1 trigger 2, >2 triggers 2, backlog read 92.0 s, "
                + "drain 112.9 s, capacity 652 rows/s, 74150 rows read (3125 at spike cost)", f.summary());
    }

    @Test
    void aRunWithoutBatchesStillSummarises() {
        SqlFigures f = SqlFigures.of(run(List.of()), S);
        assertEquals("0 batches, first 0 rows in 0.0 s, >1 trigger 0, >2 triggers 0, backlog read (not reached) 0.0 s,"
                + " drain (not caught up) 0.0 s, capacity NaN rows/s, 0 rows read (0 at spike cost)", f.summary());
    }
}
