package dev.sluice.strategy.builtin;

/**
 * Told once per stream when its strategy throws; the gate has already switched that stream to throttle. The runtime
 * logs it; the strategies module itself never logs.
 */
public interface StrategyFailureListener {

    void onStrategyFailure(int streamId, String strategyName, Throwable failure);

    /** For tests and callers that only need the counters. */
    StrategyFailureListener IGNORE = (streamId, strategyName, failure) -> {
    };
}
