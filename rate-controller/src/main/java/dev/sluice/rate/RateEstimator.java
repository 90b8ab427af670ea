package dev.sluice.rate;

/**
 * Estimates, on the driver, a bound (records/s) for every input stream of one StreamingContext, from what Spark reports
 * about its batches. Calls arrive on one thread, in the order Spark posts them; implementations need no locking.
 *
 * <p>An estimator says nothing ({@link BoundSink} not called) when it has no estimate: the previous bound stays in force.
 * Bounds it publishes are already clamped to the configured minimum and maximum.
 */
public interface RateEstimator {

    /**
     * A batch was submitted: its records per stream are known, it has not run yet. Spark's own PID ignores this; an
     * estimator that acts here can cut the bound seconds before any batch completes.
     */
    default void onBatchSubmitted(BatchSample batch, BoundSink sink) {
    }

    /** A batch completed (processing start and end times are set). */
    void onBatchCompleted(BatchSample batch, BoundSink sink);

    /** A receiver (re)started for {@code streamId}: its executor may have lost the bound. */
    default void onReceiverStarted(int streamId, BoundSink sink) {
    }
}
