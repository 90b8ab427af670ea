package dev.sluice.rate;

import java.util.HashMap;
import java.util.Map;

/**
 * "Spark's PID" mode: one {@link SparkPidEstimator} per input stream, fed exactly what Spark's
 * {@code ReceiverRateController} feeds it at batch completion (processing end time, this stream's records, processing
 * delay, scheduling delay), publishing the clamped result. Nothing happens at submission, as in Spark. Its times are
 * Spark's wall-clock stamps, only ever compared with one another (never with a batch time), so a ManualClock batch
 * clock changes nothing here.
 */
public final class PidRateEstimator implements RateEstimator {
    private final EstimatorSettings settings;
    private final BoundClamp clamp;
    private final Map<Integer, SparkPidEstimator> pids = new HashMap<>();
    private final Map<Integer, Long> bounds = new HashMap<>();

    public PidRateEstimator(EstimatorSettings settings) {
        this.settings = settings;
        this.clamp = settings.clamp();
    }

    @Override
    public void onBatchCompleted(BatchSample batch, BoundSink sink) {
        if (!batch.completed()) {
            return;
        }
        for (int i = 0; i < batch.streamCount(); i++) {
            int streamId = batch.streamId(i);
            double rate = pidOf(streamId).compute(batch.processingEndMs, batch.records(i), batch.processingDelayMs(),
                    batch.schedulingDelayMs());
            if (!Double.isNaN(rate)) {
                publish(streamId, clamp.toBound(rate), sink);
            }
        }
    }

    /** Like Spark, the initial rate is in force from the receiver's start; a restarted receiver gets the last bound. */
    @Override
    public void onReceiverStarted(int streamId, BoundSink sink) {
        Long bound = bounds.get(streamId);
        if (bound != null) {
            sink.publish(streamId, bound);
        } else if (settings.hasInitialRate()) {
            publish(streamId, clamp.toBound(settings.initialRate), sink);
        }
    }

    /** The bound last published for {@code streamId}, or -1. */
    public long boundOf(int streamId) {
        Long bound = bounds.get(streamId);
        return bound == null ? -1 : bound;
    }

    private void publish(int streamId, long bound, BoundSink sink) {
        bounds.put(streamId, bound);
        sink.publish(streamId, bound);
    }

    private SparkPidEstimator pidOf(int streamId) {
        SparkPidEstimator pid = pids.get(streamId);
        if (pid == null) {
            // Spark's pid.minRate is separate from Sluice's clamp; Spark's estimator needs minRate > 0, as ours.
            pid = new SparkPidEstimator(settings.batchIntervalMs, settings.proportional, settings.integral,
                    settings.derivative, settings.minRate);
            pids.put(streamId, pid);
        }
        return pid;
    }
}
