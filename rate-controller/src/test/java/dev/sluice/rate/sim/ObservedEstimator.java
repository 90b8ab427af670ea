package dev.sluice.rate.sim;

import java.util.function.Consumer;

import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.RateEstimator;

/** Passes every event on to an estimator, and each completed batch, after the estimator saw it, to an observer. */
class ObservedEstimator implements RateEstimator {
    private final RateEstimator delegate;
    private final Consumer<BatchSample> completed;

    ObservedEstimator(RateEstimator delegate, Consumer<BatchSample> completed) {
        this.delegate = delegate;
        this.completed = completed;
    }

    @Override
    public void onBatchSubmitted(BatchSample batch, BoundSink sink) {
        delegate.onBatchSubmitted(batch, sink);
    }

    @Override
    public void onBatchCompleted(BatchSample batch, BoundSink sink) {
        delegate.onBatchCompleted(batch, sink);
        completed.accept(batch);
    }

    @Override
    public void onReceiverStarted(int streamId, BoundSink sink) {
        delegate.onReceiverStarted(streamId, sink);
    }
}
