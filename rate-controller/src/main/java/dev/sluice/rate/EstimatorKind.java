package dev.sluice.rate;

/** Which estimator drives the bounds. */
public enum EstimatorKind {
    /** Sluice's default: acts at batch submission and completion ({@link AdaptiveRateEstimator}). */
    ADAPTIVE,
    /** Spark's own PID, one per stream, exactly as Spark computes it ({@link PidRateEstimator}). */
    PID
}
