package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.RunResult;

import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * What one mode's run left for the report.
 *
 * @param limit        the read option the job ran with ({@code maxFilesPerTrigger=n}), or "none"
 * @param queryStartMs when the runner saw the query's first offset-log entry (arrivals and the spike count from it)
 * @param readableBy   rows readable at or before an epoch ms, by the writer's own record
 * @param spikeRows    the rows written at the spike's cost, as positions in arrival order: from the
 *                     {@code first}-th row written (0-based) to before the {@code end}-th
 * @param notes        what the runner saw that the figures do not show (empty if nothing)
 */
public record SqlRunData(SqlMode mode, String limit, RunResult result, List<SqlBatch> batches, long queryStartMs,
                         LongUnaryOperator readableBy, long rowsWritten, SpikeRows spikeRows, SinkAudit audit,
                         String notes) {

    /** Rows {@code [first, end)} in arrival order were written at the spike's cost; {@code end = first}: none. */
    public record SpikeRows(long first, long end) {

        /** How many of them a query that read {@code rowsRead} rows (in arrival order) has read. */
        public long readOf(long rowsRead) {
            return Math.max(0, Math.min(rowsRead, end) - first);
        }

        public long count() {
            return end - first;
        }
    }
}
