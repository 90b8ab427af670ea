/**
 * Adaptive admission for Structured Streaming micro-batch queries, on the driver: per query run, the previous batch's
 * progress (rows per source, batch duration) feeds the same estimator the DStream side uses (trigger interval as the
 * batch interval), and the next batch's read limit for each Kafka v2 source (rows) and file source (files, through the
 * rows per file its batches showed) is computed from its bound. The pure logic
 * ({@link dev.sluice.sql.driver.QueryAdmission}, {@link dev.sluice.sql.driver.RowLimit},
 * {@link dev.sluice.sql.driver.FileLimit}) has no Spark type;
 * {@link dev.sluice.sql.driver.SqlAdmission} is the glue the advice calls. What a run aims at (the trigger interval, or
 * {@code sluice.sql.defaultTriggerTarget} for the default trigger, times the target share; per-query overrides by
 * name) is {@link dev.sluice.sql.driver.QueryOptions}; what it shows (limit, admitted rows, backlog, batch duration) is
 * {@link dev.sluice.sql.driver.QueryStatus}, listed for the agent's metrics thread by
 * {@link dev.sluice.sql.driver.QueryRuns} while its query runs.
 */
package dev.sluice.sql.driver;
