package dev.sluice.rate;

/** Creates the estimator that {@link EstimatorSettings#kind} names. */
public final class RateEstimators {
    private RateEstimators() {
    }

    public static RateEstimator create(EstimatorSettings settings) {
        switch (settings.kind) {
            case PID:
                return new PidRateEstimator(settings);
            case ADAPTIVE:
                return new AdaptiveRateEstimator(settings);
            default:
                throw new IllegalArgumentException("unknown estimator kind " + settings.kind);
        }
    }
}
