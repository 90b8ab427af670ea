package dev.sluice.agent;

import dev.sluice.rate.EstimatorKind;
import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimator;
import dev.sluice.rate.RateEstimators;
import dev.sluice.runtime.EstimatorFactory;
import dev.sluice.runtime.RuntimeSettings;

/** Builds the driver's estimator from sluice.estimator, sluice.rate.*, sluice.pid.*. */
final class ConfiguredEstimatorFactory implements EstimatorFactory {

    private final RuntimeSettings settings;

    ConfiguredEstimatorFactory(RuntimeSettings settings) {
        this.settings = settings;
    }

    @Override
    public RateEstimator create(long batchIntervalMs, int[] streamIds) {
        return RateEstimators.create(settingsFor(batchIntervalMs));
    }

    EstimatorSettings settingsFor(long batchIntervalMs) {
        return EstimatorSettings.builder(batchIntervalMs)
                .kind("pid".equals(settings.get("sluice.estimator", "adaptive")) ? EstimatorKind.PID
                        : EstimatorKind.ADAPTIVE)
                .initialRate(settings.getDouble("sluice.rate.initial", Double.NaN))
                .minRate(settings.getDouble("sluice.rate.min", 100))
                .slowStart(settings.getBoolean("sluice.rate.slowStart", true))
                .maxRate(settings.getDouble("sluice.rate.max", Double.POSITIVE_INFINITY))
                .pid(settings.getDouble("sluice.pid.proportional", 1.0), settings.getDouble("sluice.pid.integral", 0.2),
                        settings.getDouble("sluice.pid.derivative", 0.0))
                .build();
    }

    @Override
    public String name() {
        return settings.get("sluice.estimator", "adaptive");
    }
}
