package dev.sluice.rate.sim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fresh JVMs: the per-record cost starts at 3× and falls to 1× as the JIT compiles (time constant 8 s), with 8 %
 * batch-to-batch noise, as measured on real Spark on two cores (batches took 0.3–0.5 ms/record in the first seconds and
 * ~0.09 ms/record 20 s later). Under 5× overload the estimator must follow the cost down: it is judged on the second
 * half of a 33 s hold (the test bed's default window), against what full batches (100 % of the interval) could hold
 * at the cost of each batch's time. With ±8 % noise a batch planned at 100 % runs late half the time, so no controller
 * that keeps the delay under one interval gets all of it: 0.93 of that ideal is the floor here (the real-Spark floor,
 * 0.95 of the test bed's measured capacity, is against the highest staircase step the job kept up with).
 */
class WarmingJvmSimulationTest {

    private static final double WARM_PER_RECORD_MS = Scenarios.PER_RECORD_MS;

    static SimulatedStreamingJob.Config warming(SimulatedStreamingJob.Admission admission, double phase, long seed) {
        double offered = 5 * Scenarios.sustainable();
        return Scenarios.base().stream(t -> offered).phase(phase).seed(seed).durationMs(33_000).admission(admission)
                .jitter(0.08).perRecordMs(t -> WARM_PER_RECORD_MS * (1 + 2 * Math.exp(-t / 8000.0)));
    }

    /** Records in the last {@code n} batches ÷ what full batches could have held at the cost of their time. */
    static double goodputAgainstCapacityAtTheTime(SimulationResult r, int n) {
        int last = r.batches().size();
        double records = 0;
        double possible = 0;
        for (int i = last - n + 1; i <= last; i++) {
            SimulatedStreamingJob.Batch b = r.batch(i);
            records += b.totalRecords();
            double perRecord = WARM_PER_RECORD_MS * (1 + 2 * Math.exp(-b.timeMs / 8000.0));
            possible += (Scenarios.INTERVAL_MS - Scenarios.OVERHEAD_MS) / perRecord;
        }
        return records / possible;
    }

    @Test
    void followsTheWarmingJobToItsCapacity() {
        double worst = Double.POSITIVE_INFINITY;
        for (SimulatedStreamingJob.Admission admission : SimulatedStreamingJob.Admission.values()) {
            for (double phase : new double[] {0.1, 0.5}) {
                for (long seed = 1; seed <= 4; seed++) {
                    SimulationResult r = new SimulatedStreamingJob(warming(admission, phase, seed))
                            .run(Scenarios.adaptive());
                    double goodput = goodputAgainstCapacityAtTheTime(r, 15);
                    worst = Math.min(worst, goodput);
                    assertTrue(goodput >= 0.93, admission + " phase " + phase + " seed " + seed + ": goodput "
                            + goodput + "\n" + r.table());
                }
            }
        }
        System.out.printf("[sim warming JVM] adaptive, 5x overload, second half of a 33 s hold: worst goodput %.3f%n",
                worst);
    }
}
