package dev.sluice.rate.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 5× overload with no initial rate, adaptive vs Spark's PID on the same simulated job. Phases cover what was measured on
 * real Spark (the first batch held 0–58 % of a full interval of input).
 */
class OverloadSimulationTest {
    private static final double[] PHASES = {0.1, 0.3, 0.45, 0.58};
    private static final long[] SEEDS = {1, 2, 3};

    @Test
    void adaptiveReachesSteadyStateWithin15BatchesPeakBelow5sGoodputAtLeast095() {
        for (double phase : PHASES) {
            for (long seed : SEEDS) {
                SimulationResult r = new SimulatedStreamingJob(Scenarios.overload5x(phase, seed)).run(Scenarios.adaptive());
                print("adaptive", phase, seed, r);
                String where = "phase " + phase + " seed " + seed + "\n" + r.table();
                int steady = r.firstSteadyBatch();
                assertTrue(steady > 0 && steady <= 15, "steady from batch " + steady + ", " + where);
                assertTrue(r.peakSchedulingDelayMs() < 5000, "peak " + r.peakSchedulingDelayMs() + " ms, " + where);
                assertTrue(r.steadyGoodput() >= 0.95, "goodput " + r.steadyGoodput() + ", " + where);
            }
        }
    }

    /** Same floors when the excess waits at the source (throttle) instead of being dropped, and with 10 % jitter. */
    @Test
    void floorsHoldWithThrottleAndWithNoisierBatches() {
        for (double phase : PHASES) {
            for (SimulatedStreamingJob.Admission admission : SimulatedStreamingJob.Admission.values()) {
                SimulationResult r = new SimulatedStreamingJob(Scenarios.overload5x(phase, 5).admission(admission)
                        .jitter(0.10)).run(Scenarios.adaptive());
                String where = admission + " phase " + phase + "\n" + r.table();
                assertTrue(r.firstSteadyBatch() > 0 && r.firstSteadyBatch() <= 15, where);
                assertTrue(r.firstLoadedSteadyBatch() <= 10, "the slow start reaches capacity within 10 batches: "
                        + where);
                assertTrue(r.peakSchedulingDelayMs() < 5000, where);
                assertTrue(r.steadyGoodput() >= 0.95, where);
            }
        }
    }

    /**
     * The receivers start at a random phase (from the seed). Steady state and goodput hold for every phase; the 5 s peak
     * floor holds up to ~60 % of an interval in the first batch (beyond, see the full-interval test).
     */
    @Test
    void randomPhases() {
        int below5s = 0;
        for (long seed = 100; seed < 130; seed++) {
            SimulationResult r = new SimulatedStreamingJob(Scenarios.overload5x(Double.NaN, seed)).run(Scenarios.adaptive());
            String where = "seed " + seed + " phase " + r.phase + "\n" + r.table();
            assertTrue(r.firstSteadyBatch() > 0 && r.firstSteadyBatch() <= 15, where);
            assertTrue(r.steadyGoodput() >= 0.95, where);
            assertTrue(r.peakSchedulingDelayMs() < (r.phase <= 0.6 ? 5000 : 9000), where);
            below5s += r.peakSchedulingDelayMs() < 5000 ? 1 : 0;
        }
        System.out.printf("[sim 5x overload] adaptive, 30 random phases: peak below 5 s in %d of 30%n", below5s);
    }

    @Test
    void sparkPidOnTheSameJobIsWorse() {
        for (double phase : PHASES) {
            for (long seed : SEEDS) {
                SimulationResult pid = new SimulatedStreamingJob(Scenarios.overload5x(phase, seed)).run(Scenarios.sparkPid());
                SimulationResult adaptive =
                        new SimulatedStreamingJob(Scenarios.overload5x(phase, seed)).run(Scenarios.adaptive());
                print("spark-pid", phase, seed, pid);
                assertTrue(pid.firstSteadyBatch() > 2 * adaptive.firstSteadyBatch(),
                        "PID steady from " + pid.firstSteadyBatch() + ", adaptive " + adaptive.firstSteadyBatch());
                assertTrue(pid.peakSchedulingDelayMs() > 3 * adaptive.peakSchedulingDelayMs(),
                        "PID peak " + pid.peakSchedulingDelayMs() + ", adaptive " + adaptive.peakSchedulingDelayMs());
            }
        }
    }

    /**
     * A first batch that holds a full interval of 5× input is 5 s of work before any evidence of overload: no estimator
     * without an initial rate can keep the peak below 5 s there. Shown, and bounded, not hidden.
     */
    @Test
    void fullFirstIntervalIsBeyondThe5sFloorButStillFarBetterThanPid() {
        SimulationResult adaptive = new SimulatedStreamingJob(Scenarios.overload5x(0.99, 1)).run(Scenarios.adaptive());
        SimulationResult pid = new SimulatedStreamingJob(Scenarios.overload5x(0.99, 1)).run(Scenarios.sparkPid());
        print("adaptive", 0.99, 1, adaptive);
        print("spark-pid", 0.99, 1, pid);
        assertTrue(adaptive.firstSteadyBatch() <= 15, adaptive.table());
        assertTrue(adaptive.peakSchedulingDelayMs() < 9000, adaptive.table());
        assertTrue(pid.peakSchedulingDelayMs() > 4 * adaptive.peakSchedulingDelayMs());
    }

    static void print(String mode, double phase, long seed, SimulationResult r) {
        System.out.printf("[sim 5x overload] %-9s phase=%.2f seed=%d: steady from batch %d, peak scheduling delay %.1f s,"
                        + " goodput %.3f of capacity%n", mode, phase, seed, r.firstSteadyBatch(),
                r.peakSchedulingDelayMs() / 1000.0, r.steadyGoodput());
    }
}
