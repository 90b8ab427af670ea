package dev.sluice.rate;

import java.util.Arrays;

/**
 * What Spark reports about one batch, as plain values (times in milliseconds; -1 where Spark has none yet). Records are
 * per input stream; {@code streamIds[i]} stored {@code records[i]} records in this batch.
 *
 * <p>Two clocks, as Spark stamps them: {@code batchTimeMs} is on the batch clock ({@code spark.streaming.clock}, the
 * system clock unless a test installs a ManualClock); submission and processing times are {@code System.currentTimeMillis}
 * (Spark's JobSet). An estimator must never compare the two directly (under a ManualClock they are decades apart): it
 * reads times through {@link #submittedOnBatchClock()} and {@link #onBatchClock(long)}, which keep everything on the
 * batch clock and carry the wall-clock stamps over as durations since this batch's submission.
 */
public final class BatchSample {
    public final long batchTimeMs;
    public final long batchIntervalMs;
    public final long submissionTimeMs;
    public final long processingStartMs;
    public final long processingEndMs;
    private final int[] streamIds;
    private final long[] records;

    public BatchSample(long batchTimeMs, long batchIntervalMs, long submissionTimeMs, long processingStartMs,
                       long processingEndMs, int[] streamIds, long[] records) {
        if (streamIds.length != records.length) {
            throw new IllegalArgumentException("streamIds and records differ in length");
        }
        this.batchTimeMs = batchTimeMs;
        this.batchIntervalMs = batchIntervalMs;
        this.submissionTimeMs = submissionTimeMs;
        this.processingStartMs = processingStartMs;
        this.processingEndMs = processingEndMs;
        this.streamIds = streamIds.clone();
        this.records = records.clone();
    }

    /** When the batch was submitted, on the batch clock: Spark submits a batch when its clock reaches the batch time. */
    public long submittedOnBatchClock() {
        return batchTimeMs;
    }

    /**
     * A wall-clock time Spark stamped on this batch (submission, processing start or end) on the batch clock: the batch
     * time plus the time elapsed since this batch's submission; -1 stays -1.
     */
    public long onBatchClock(long wallClockMs) {
        if (wallClockMs < 0) {
            return -1;
        }
        return submissionTimeMs < 0 ? wallClockMs : batchTimeMs + (wallClockMs - submissionTimeMs);
    }

    /** Processing end on the batch clock, or -1 before completion. */
    public long processingEndOnBatchClock() {
        return onBatchClock(processingEndMs);
    }

    public int streamCount() {
        return streamIds.length;
    }

    public int streamId(int index) {
        return streamIds[index];
    }

    public long records(int index) {
        return records[index];
    }

    /** Records of {@code streamId} in this batch, 0 if the stream is absent. */
    public long recordsOf(int streamId) {
        for (int i = 0; i < streamIds.length; i++) {
            if (streamIds[i] == streamId) {
                return records[i];
            }
        }
        return 0;
    }

    public long totalRecords() {
        long sum = 0;
        for (long r : records) {
            sum += r;
        }
        return sum;
    }

    public boolean completed() {
        return processingEndMs >= 0 && processingStartMs >= 0;
    }

    /** processing end - start, or -1 before completion. */
    public long processingDelayMs() {
        return completed() ? processingEndMs - processingStartMs : -1;
    }

    /** processing start - submission, or -1 before the batch started. */
    public long schedulingDelayMs() {
        return processingStartMs >= 0 ? processingStartMs - submissionTimeMs : -1;
    }

    @Override
    public String toString() {
        return "BatchSample{time=" + batchTimeMs + ", submitted=" + submissionTimeMs + ", start=" + processingStartMs
                + ", end=" + processingEndMs + ", streams=" + Arrays.toString(streamIds) + ", records="
                + Arrays.toString(records) + '}';
    }
}
