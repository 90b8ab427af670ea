package dev.sluice.runtime;

import dev.sluice.rate.RateEstimator;

/** Creates the driver's estimator for one StreamingContext (the agent wires it from the configuration). */
public interface EstimatorFactory {

    RateEstimator create(long batchIntervalMs, int[] streamIds);

    /** A short description for the log ("adaptive", "pid"). */
    String name();
}
