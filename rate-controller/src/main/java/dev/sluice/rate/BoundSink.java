package dev.sluice.rate;

/** Receives the bounds an estimator publishes. */
public interface BoundSink {
    void publish(int streamId, long recordsPerSecond);

    /**
     * Whether {@code streamId} admits records all through the interval at the bound in force (a receiver), so that a
     * bound raised part-way through an interval fills the rest of it. False for a stream whose batch is planned once
     * from the latest bound (a direct Kafka stream, a Structured Streaming source): it would plan a whole batch from a
     * rate meant for part of an interval.
     */
    default boolean admitsContinuously(int streamId) {
        return true;
    }
}
