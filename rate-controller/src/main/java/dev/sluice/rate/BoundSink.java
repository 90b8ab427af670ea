package dev.sluice.rate;

/** Receives the bounds an estimator publishes. */
public interface BoundSink {
    void publish(int streamId, long recordsPerSecond);
}
