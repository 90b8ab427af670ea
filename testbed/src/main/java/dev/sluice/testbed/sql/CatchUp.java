package dev.sluice.testbed.sql;

import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Time to drain a backlog: from the start of the query's first batch until the query is caught up, that is to the end
 * of the first batch b such that batches 0..b together read every row that was readable one trigger interval before
 * b ended (what was left unread at b's end had arrived within the last trigger interval). Rows are counted, not
 * matched: both sources hand rows out in arrival order (files by modification time, Kafka by offset).
 *
 * @param batchIndex index of that batch in the run's batches, -1 if the query never caught up
 * @param ms         the drain time (first batch's start to b's end); the whole run when never caught up
 * @param rows       rows batches 0..b read (all batches when never caught up)
 */
public record CatchUp(int batchIndex, long ms, long rows) {

    /**
     * @param readableBy rows readable at or before an epoch ms, as the writer recorded them
     */
    public static CatchUp of(List<SqlBatch> batches, LongUnaryOperator readableBy, long triggerMs) {
        if (batches.isEmpty()) {
            return new CatchUp(-1, 0, 0);
        }
        long start = batches.get(0).startMs();
        long read = 0;
        for (int i = 0; i < batches.size(); i++) {
            SqlBatch b = batches.get(i);
            read += b.rows();
            if (read >= readableBy.applyAsLong(b.endMs() - triggerMs)) {
                return new CatchUp(i, b.endMs() - start, read);
            }
        }
        return new CatchUp(-1, batches.get(batches.size() - 1).endMs() - start, read);
    }

    public boolean caughtUp() {
        return batchIndex >= 0;
    }

    /** Rows read per second over the drain (its goodput); 0 for an empty run. */
    public double rowsPerSecond() {
        return ms <= 0 ? 0 : rows * 1000.0 / ms;
    }
}
