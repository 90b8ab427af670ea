package dev.sluice.rate.sim;

import dev.sluice.rate.sim.SimulatedStreamingJob.Admission;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Capacity halves from 40 s to 140 s, then returns. "Real time" = every later batch starts within one interval of its
 * submission and (THROTTLE) at most one interval of input waits at the source.
 */
class CostSpikeSimulationTest {

    /** Offered rates as a share of the normal sustainable rate: under it, between, and far above. */
    private static final double[] SHARES = {0.8, 1.5, 3.0};

    @Test
    void dropAdaptiveIsBackToRealTimeInTwoThirdsOfThePidTimeAfterTheSpikeStartsAndAtOnceWhenItEnds() {
        for (double share : SHARES) {
            SimulationResult adaptive = run(Admission.DROP, share, true);
            SimulationResult pid = run(Admission.DROP, share, false);
            double adaptiveIn = adaptive.secondsToRealTimeAfter(Scenarios.SPIKE_START_MS);
            double pidIn = pid.secondsToRealTimeAfter(Scenarios.SPIKE_START_MS);
            double adaptiveOut = adaptive.secondsToRealTimeAfter(Scenarios.SPIKE_END_MS);
            double pidOut = pid.secondsToRealTimeAfter(Scenarios.SPIKE_END_MS);
            double adaptiveThroughput = adaptive.secondsToThroughputAfter(Scenarios.SPIKE_END_MS, 250_000, 0.95);
            double pidThroughput = pid.secondsToThroughputAfter(Scenarios.SPIKE_END_MS, 250_000, 0.95);
            System.out.printf("[sim cost spike, drop, offered %.1fx] time back to real time after the spike starts:"
                            + " adaptive %.0f s, Spark PID %.0f s; after it ends: adaptive %.0f s, Spark PID %.0f s;"
                            + " throughput back after it ends: adaptive %.0f s, Spark PID %.0f s; peak delay in spike:"
                            + " adaptive %.1f s, Spark PID %.1f s%n", share, adaptiveIn, pidIn, adaptiveOut, pidOut,
                    adaptiveThroughput, pidThroughput, peakDuringSpike(adaptive) / 1000.0, peakDuringSpike(pid) / 1000.0);
            assertTrue(adaptiveIn >= 0 && pidIn > 0 && adaptiveIn <= 2.0 / 3 * pidIn, adaptive.table());
            assertTrue(peakDuringSpike(adaptive) <= peakDuringSpike(pid), adaptive.table());
            assertTrue(adaptiveOut >= 0 && adaptiveOut <= pidOut + 1, "after the spike: " + adaptiveOut);
            assertTrue(adaptiveThroughput >= 0 && adaptiveThroughput <= 3 && adaptiveThroughput <= pidThroughput,
                    "throughput back after " + adaptiveThroughput + " s");
        }
    }

    /**
     * With throttling the excess waits at the source: after the spike both controllers must drain it at (capacity −
     * offered); the estimator cannot beat that, it must not be much slower.
     */
    @Test
    void throttleBothDrainTheSourceBacklogAtCapacityAfterTheSpike() {
        SimulationResult adaptive = run(Admission.THROTTLE, 0.8, true);
        SimulationResult pid = run(Admission.THROTTLE, 0.8, false);
        double adaptiveOut = adaptive.secondsToRealTimeAfter(Scenarios.SPIKE_END_MS);
        double pidOut = pid.secondsToRealTimeAfter(Scenarios.SPIKE_END_MS);
        // excess accumulated during the spike ÷ spare capacity afterwards: the physical floor
        double floor = (0.8 - 0.5) * 100 / (1 - 0.8);
        System.out.printf("[sim cost spike, throttle, offered 0.8x] time back to real time after the spike ends:"
                + " adaptive %.0f s, Spark PID %.0f s (physical floor ~%.0f s)%n", adaptiveOut, pidOut, floor);
        assertTrue(adaptiveOut > 0 && pidOut > 0);
        assertTrue(adaptiveOut <= 1.15 * pidOut, "adaptive " + adaptiveOut + " s, PID " + pidOut + " s");
        assertTrue(adaptiveOut >= 0.9 * floor, "faster than physics? " + adaptiveOut);
    }

    private static SimulationResult run(Admission admission, double share, boolean adaptive) {
        SimulatedStreamingJob job = new SimulatedStreamingJob(Scenarios.costSpike(admission, share, 3)
                .durationMs(admission == Admission.THROTTLE ? 450_000 : 260_000));
        return job.run(adaptive ? Scenarios.adaptive() : Scenarios.sparkPid());
    }

    private static long peakDuringSpike(SimulationResult r) {
        long peak = 0;
        for (SimulatedStreamingJob.Batch b : r.batches()) {
            if (b.timeMs >= Scenarios.SPIKE_START_MS && b.timeMs < Scenarios.SPIKE_END_MS + 10_000) {
                peak = Math.max(peak, b.schedulingDelayMs());
            }
        }
        return peak;
    }
}
