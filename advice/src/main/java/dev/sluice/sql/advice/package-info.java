/**
 * Thin Byte Buddy advice for Structured Streaming micro-batch queries: the engine's per-trigger planning
 * ({@code MicroBatchExecution.constructNextBatch}, matched by name in both engine packages) and the Kafka v2 source's
 * {@code latestOffset(Offset, ReadLimit)}. Each forwards to {@code dev.sluice.sql.driver}. Registered by the agent's
 * {@code SqlInstall}, named by string, only with {@code sluice.sql.enabled=true}.
 */
package dev.sluice.sql.advice;
