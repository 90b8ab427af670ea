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
 * @param notes        what the runner saw that the figures do not show (empty if nothing)
 */
public record SqlRunData(SqlMode mode, String limit, RunResult result, List<SqlBatch> batches, long queryStartMs,
                         LongUnaryOperator readableBy, long rowsWritten, SinkAudit audit, String notes) {
}
