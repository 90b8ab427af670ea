package dev.sluice.receiver.driver;

/**
 * The driver's view of one input stream, for metrics and the CSV sink: the bound in force, and the estimator's inputs
 * from the last completed batch. Written by the listener thread, read by the metrics thread. A new StreamingContext gets
 * new objects, even for the same stream ids.
 */
public final class DriverStream {
    private final int streamId;
    private volatile long bound = -1;
    private volatile long boundsPublished;
    private volatile long recordsTotal;
    private volatile long lastBatchRecords = -1;
    private volatile double processingRate = -1;
    private volatile long schedulingDelayMs = -1;
    private volatile long processingDelayMs = -1;
    private final PlannedAdmission planned = new PlannedAdmission();

    /** One per input stream a live StreamingContext governs (public for the metrics' tests). */
    public DriverStream(int streamId) {
        this.streamId = streamId;
    }

    public int streamId() {
        return streamId;
    }

    /** The bound last published for this stream, records/s; -1 before the first. */
    public long bound() {
        return bound;
    }

    public long boundsPublished() {
        return boundsPublished;
    }

    /** Records Spark reported for this stream over all completed batches. */
    public long recordsTotal() {
        return recordsTotal;
    }

    public long lastBatchRecords() {
        return lastBatchRecords;
    }

    /** This stream's records ÷ processing time of the last completed batch, records/s; -1 before one. */
    public double processingRate() {
        return processingRate;
    }

    public long schedulingDelayMs() {
        return schedulingDelayMs;
    }

    public long processingDelayMs() {
        return processingDelayMs;
    }

    /** What the driver admitted into this stream's batches when it plans them itself (Kafka direct streams). */
    public PlannedAdmission planned() {
        return planned;
    }

    void published(long newBound) {
        bound = newBound;
        boundsPublished++;
    }

    void completed(long records, long processingDelay, long schedulingDelay) {
        recordsTotal += records;
        lastBatchRecords = records;
        processingDelayMs = processingDelay;
        schedulingDelayMs = schedulingDelay;
        processingRate = processingDelay > 0 ? records * 1000.0 / processingDelay : -1;
    }
}
