package dev.sluice.rate.sim;

import java.util.Collections;
import java.util.List;

/** The batches of one simulated run and the control-quality figures computed from them. */
public final class SimulationResult {
    private final SimulatedStreamingJob.Config config;
    private final List<SimulatedStreamingJob.Batch> batches;
    public final double phase;
    public final double offeredRecords;
    public final double admittedRecords;

    SimulationResult(SimulatedStreamingJob.Config config, List<SimulatedStreamingJob.Batch> batches, double phase,
                     double offeredRecords, double admittedRecords) {
        this.config = config;
        this.batches = Collections.unmodifiableList(batches);
        this.phase = phase;
        this.offeredRecords = offeredRecords;
        this.admittedRecords = admittedRecords;
    }

    public List<SimulatedStreamingJob.Batch> batches() {
        return batches;
    }

    public SimulatedStreamingJob.Batch batch(int index) {
        return batches.get(index - 1);
    }

    public long peakSchedulingDelayMs() {
        long peak = 0;
        for (SimulatedStreamingJob.Batch b : batches) {
            peak = Math.max(peak, b.schedulingDelayMs());
        }
        return peak;
    }

    /**
     * Index (1-based) of the first batch from which every batch has a scheduling delay below one interval, or -1 if the
     * last batch does not.
     */
    public int firstSteadyBatch() {
        return firstSteadyBatchFrom(1);
    }

    public int firstSteadyBatchFrom(int fromIndex) {
        int steady = -1;
        for (int i = batches.size(); i >= fromIndex; i--) {
            SimulatedStreamingJob.Batch b = batch(i);
            if (b.schedulingDelayMs() >= config.batchIntervalMs) {
                break;
            }
            steady = i;
        }
        return steady;
    }

    /** Records processed per second in batches [from, to] (1-based, inclusive) ÷ the job's sustainable rate. */
    public double goodput(int fromIndex, int toIndex) {
        long records = 0;
        for (int i = fromIndex; i <= toIndex; i++) {
            records += batch(i).totalRecords();
        }
        double seconds = (toIndex - fromIndex + 1) * config.batchIntervalMs / 1000.0;
        return records / seconds / config.sustainableRate();
    }

    /** Goodput from the first loaded steady batch to the end (0 if never steady). */
    public double steadyGoodput() {
        int steady = firstLoadedSteadyBatch();
        return steady < 0 ? 0 : goodput(steady, batches.size());
    }

    /**
     * The first steady batch (see {@link #firstSteadyBatch()}) that also used at least half the interval, or the first
     * steady batch when none did (a job never loaded). A slow start runs short, delay-free batches while its bound
     * doubles: that is the start-up, not the steady state whose goodput is judged.
     */
    public int firstLoadedSteadyBatch() {
        int steady = firstSteadyBatch();
        if (steady < 0) {
            return steady;
        }
        for (int i = steady; i <= batches.size(); i++) {
            if (batch(i).processingMs() >= config.batchIntervalMs / 2) {
                return i;
            }
        }
        return steady;
    }

    /**
     * Seconds from {@code fromMs} until the job is back to real time for good: every later batch has a scheduling
     * delay below one interval and (THROTTLE) no more than one interval of input waiting at the source. -1 if never.
     */
    public double secondsToRealTimeAfter(long fromMs) {
        return secondsToRealTimeBetween(fromMs, Long.MAX_VALUE);
    }

    /** As {@link #secondsToRealTimeAfter(long)}, judging only the batches up to {@code untilMs} (the load's end). */
    public double secondsToRealTimeBetween(long fromMs, long untilMs) {
        long firstGood = -1;
        for (int i = batches.size(); i >= 1; i--) {
            SimulatedStreamingJob.Batch b = batch(i);
            if (b.timeMs > untilMs) {
                continue;
            }
            if (b.timeMs < fromMs) {
                break;
            }
            boolean realTime = b.schedulingDelayMs() < config.batchIntervalMs
                    && b.sourceBacklog <= b.offeredRate * config.batchIntervalMs / 1000.0;
            if (!realTime) {
                break;
            }
            firstGood = b.timeMs;
        }
        return firstGood < 0 ? -1 : Math.max(0, firstGood - fromMs) / 1000.0;
    }

    /**
     * Seconds from {@code fromMs} until throughput is back for good: every later batch (to {@code untilMs}) holds at
     * least {@code share} of min(offered, capacity at that time) records. -1 if never.
     */
    public double secondsToThroughputAfter(long fromMs, long untilMs, double share) {
        long firstGood = -1;
        for (int i = batches.size(); i >= 1; i--) {
            SimulatedStreamingJob.Batch b = batch(i);
            if (b.timeMs > untilMs) {
                continue;
            }
            if (b.timeMs < fromMs) {
                break;
            }
            double capacity = (config.batchIntervalMs - config.overheadMs)
                    / config.perRecordMsAt.applyAsDouble(b.timeMs);
            double expected = Math.min(b.offeredRate * config.batchIntervalMs / 1000.0, capacity);
            if (b.totalRecords() < share * expected) {
                break;
            }
            firstGood = b.timeMs;
        }
        return firstGood < 0 ? -1 : Math.max(0, firstGood - fromMs) / 1000.0;
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        for (SimulatedStreamingJob.Batch b : batches) {
            sb.append(b).append('\n');
        }
        return sb.toString();
    }
}
