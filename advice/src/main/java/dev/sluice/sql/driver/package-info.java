/**
 * Adaptive admission for Structured Streaming micro-batch queries, on the driver: per query run, the previous batch's
 * progress (rows per source, batch duration) feeds the same estimator the DStream side uses (trigger interval as the
 * batch interval), and the next batch's read limit for each Kafka v2 source (rows) and file source (files, through the
 * rows per file its batches showed) is computed from its bound. The pure logic
 * ({@link dev.sluice.sql.driver.QueryAdmission}, {@link dev.sluice.sql.driver.RowLimit},
 * {@link dev.sluice.sql.driver.FileLimit}) has no Spark type;
 * {@link dev.sluice.sql.driver.SqlAdmission} is the glue the advice calls.
 */
package dev.sluice.sql.driver;
