/**
 * Thin Byte Buddy advice for Structured Streaming micro-batch queries: the engine's per-trigger planning
 * ({@code MicroBatchExecution.constructNextBatch}, matched by name in both engine packages) and the
 * {@code latestOffset(Offset, ReadLimit)} of the Kafka v2 source and of the file source ({@code FileStreamSource}), and the file
 * source's {@code takeFilesUntilMax} (the bytes a {@code maxBytesPerTrigger} batch took). Each forwards to {@code dev.sluice.sql.driver}. Registered by the agent's
 * {@code SqlInstall}, named by string, unless {@code sluice.sql.enabled=false}.
 */
package dev.sluice.sql.advice;
