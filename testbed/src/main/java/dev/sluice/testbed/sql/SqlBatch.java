package dev.sluice.testbed.sql;

/**
 * A data batch of a Structured Streaming query as its progress event reported it.
 *
 * @param startMs the trigger's start (the progress event's timestamp, epoch ms, the driver's clock)
 */
public record SqlBatch(long batchId, long rows, long durationMs, long startMs) {

    public long endMs() {
        return startMs + durationMs;
    }
}
