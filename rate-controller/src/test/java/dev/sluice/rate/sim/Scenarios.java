package dev.sluice.rate.sim;

import java.util.function.UnaryOperator;

import dev.sluice.rate.EstimatorKind;
import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimator;
import dev.sluice.rate.RateEstimators;

/** The simulated jobs the tests and the figures share. */
public final class Scenarios {
    /** 0.1 ms per record + 50 ms per batch at 1 s batches: sustains 9 500 records/s (Spark's socket job: ~9 400). */
    public static final double PER_RECORD_MS = 0.1;
    public static final double OVERHEAD_MS = 50;
    public static final long INTERVAL_MS = 1000;

    private Scenarios() {
    }

    public static double sustainable() {
        return (INTERVAL_MS - OVERHEAD_MS) / PER_RECORD_MS * 1000.0 / INTERVAL_MS;
    }

    public static SimulatedStreamingJob.Config base() {
        return SimulatedStreamingJob.config().batchIntervalMs(INTERVAL_MS).overheadMs(OVERHEAD_MS)
                .perRecordMs(PER_RECORD_MS).boundDelayMs(200).jitter(0.02);
    }

    /** 5× the sustainable rate, one stream, no initial rate. */
    public static SimulatedStreamingJob.Config overload5x(double phase, long seed) {
        double offered = 5 * sustainable();
        return base().stream(t -> offered).phase(phase).seed(seed).durationMs(120_000);
    }

    public static final long SPIKE_START_MS = 40_000;
    public static final long SPIKE_END_MS = 140_000;

    /** Offered 1.5× capacity; capacity halves (per-record cost doubles) from 40 s to 140 s. */
    public static SimulatedStreamingJob.Config costSpike(SimulatedStreamingJob.Admission admission, double offeredShare,
                                                         long seed) {
        double offered = offeredShare * sustainable();
        return base().stream(t -> offered).phase(0.5).seed(seed).durationMs(260_000).admission(admission)
                .perRecordMs(t -> t >= SPIKE_START_MS && t < SPIKE_END_MS ? 2 * PER_RECORD_MS : PER_RECORD_MS);
    }

    public static RateEstimator adaptive() {
        return adaptive(UnaryOperator.identity());
    }

    /** The default estimator with some settings changed. */
    public static RateEstimator adaptive(UnaryOperator<EstimatorSettings.Builder> change) {
        return RateEstimators.create(change.apply(EstimatorSettings.builder(INTERVAL_MS)).build());
    }

    public static RateEstimator sparkPid() {
        return RateEstimators.create(EstimatorSettings.builder(INTERVAL_MS).kind(EstimatorKind.PID).build());
    }
}
