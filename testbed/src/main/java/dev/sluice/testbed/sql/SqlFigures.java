package dev.sluice.testbed.sql;

import dev.sluice.testbed.report.BatchCapacity;

import java.util.List;
import java.util.Locale;

/**
 * One mode's figures.
 *
 * @param capacity the capacity this run measured ({@link #capacityOf}); NaN without batches
 */
public record SqlFigures(int batches, long firstRows, long firstMs, int overOne, int overTwo, BacklogRead backlog,
                         CatchUp drain, double capacity, long rowsRead, long spikeRowsRead) {

    public static SqlFigures of(SqlRunData d, SqlScenario s) {
        List<SqlBatch> b = d.batches();
        return new SqlFigures(b.size(), b.isEmpty() ? 0 : b.get(0).rows(), b.isEmpty() ? 0 : b.get(0).durationMs(),
                TriggerOverruns.count(b, s.triggerMs(), 1), TriggerOverruns.count(b, s.triggerMs(), 2),
                BacklogRead.of(b, s.backlogRows()), CatchUp.of(b, d.readableBy(), s.triggerMs()), capacityOf(d, s),
                rowsRead(b), d.spikeRows().readOf(rowsRead(b)));
    }

    /** One line for the console. */
    public String summary() {
        return String.format(Locale.ROOT, "%d batches, first %d rows in %.1f s, >1 trigger %d, >2 triggers %d, "
                        + "backlog read%s %.1f s, drain%s %.1f s, capacity %.0f rows/s, %d rows read (%d at spike cost)",
                batches, firstRows, firstMs / 1000.0, overOne, overTwo, backlog.reached() ? "" : " (not reached)",
                backlog.ms() / 1000.0, drain.caughtUp() ? "" : " (not caught up)", drain.ms() / 1000.0, capacity,
                rowsRead, spikeRowsRead);
    }

    static long rowsRead(List<SqlBatch> batches) {
        return batches.stream().mapToLong(SqlBatch::rows).sum();
    }

    /**
     * Rows per second of processing at the base cost: {@link BatchCapacity#fullBatches} (rows ÷ batch duration over
     * the batches that filled at least 0.8 of the trigger interval, or, with fewer than 10 such batches, the line fitted
     * through batch duration over rows, extrapolated to a batch of one interval) over the batches that started before
     * the spike began (their rows were all written before it, at the base cost).
     */
    public static double capacityOf(SqlRunData d, SqlScenario s) {
        long spikeStart = d.queryStartMs() < 0 ? Long.MAX_VALUE : s.spikeStartMs(d.queryStartMs());
        List<SqlBatch> base = d.batches().stream().filter(b -> b.startMs() < spikeStart).toList();
        if (base.isEmpty()) {
            return Double.NaN;
        }
        return BatchCapacity.fullBatches(base, SqlBatch::rows, SqlBatch::durationMs, s.triggerMs());
    }
}
