package dev.sluice.rate.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.LongToDoubleFunction;

import org.junit.jupiter.api.Test;

import dev.sluice.rate.sim.SimulatedStreamingJob.Admission;
import dev.sluice.rate.sim.UnmodelledCostSimulationTest.Disturbance;

/**
 * Why the adaptive estimator drains its queue to zero ({@code EstimatorSettings.standingDelayMs} = 0): a queue kept on
 * purpose trades one of issue 14's floors for another. In the test bed's spike ({@link SpikeLimitSimulationTest}, no
 * noise, 10 seeds) a standing delay lowers what drop loses, since part of the spike's excess waits in the queue and is
 * processed after the spike instead of being shed, and throttle no longer idles the cluster between batches while its
 * source's backlog drains. But under GC pauses ({@link UnmodelledCostSimulationTest}'s jobs, 300–800 ms every 10th
 * batch, 20 seeds) the same queue is slack the pause no longer has: a paused batch on top of it leaves the next one an
 * interval late, and the floor "steady within 15 batches" fails. Measured ({@code mvn -B -o -q test -pl
 * rate-controller -Dtest=StandingDelaySimulationTest}, the {@code [sim standing delay]} lines):
 *
 * <pre>
 * standing   spike, drop lost ÷ minimum   spike, throttle back ÷ T*   GC pauses, seeds of 20 meeting every floor:
 * delay      overhead n log n / n log n   overhead n log n / n log n  n log n, spill+quadratic (receiver, planned)
 *   0 ms     1.56 / 1.32                  1.21 / 1.08                 20 20, 20 20
 * 100 ms     1.52 / 1.30                  1.11 / 1.08                 20 20, 20 20
 * 300 ms     1.46 / 1.26                  1.11 / 1.08                 11 11, 10  8
 * 600 ms     1.39 / 1.21                  1.11 / 0.99                  0  1,  0  1
 * </pre>
 *
 * On the n log n job drop's median reaches issue 14's 1.3× the minimum at 100 ms (1.2975, from 1.3212), still
 * within the pause floors, and is clearly under it only where they fail; on the overhead job, the one like the test
 * bed's, not even at 600 ms (its slow start sheds a third of the minimum before the spike). 100 ms is not the default:
 * every record would wait it, the gain is inside the real test bed's run-to-run spread, and it has not run on real
 * Spark.
 */
class StandingDelaySimulationTest {

    private static final long[] STANDING_DELAYS_MS = {0, 100, 300, 600};
    private static final int SPIKE_SEEDS = 10;

    @Test
    void aStandingDelayLowersTheSpikesLossButCostsThePauseFloors() {
        double[][] dropByJob = new double[2][STANDING_DELAYS_MS.length];
        int[] worstPauseCell = new int[STANDING_DELAYS_MS.length];
        for (int k = 0; k < STANDING_DELAYS_MS.length; k++) {
            long delay = STANDING_DELAYS_MS[k];
            Object[][] spikeJobs = {{"overhead n log n", SpikeLimitSimulationTest.OVERHEAD_N_LOG_N},
                    {"n log n", SpikeLimitSimulationTest.N_LOG_N}};
            for (int j = 0; j < spikeJobs.length; j++) {
                LongToDoubleFunction job = (LongToDoubleFunction) spikeJobs[j][1];
                dropByJob[j][k] = spikeMedian(job, Admission.DROP, delay);
                double throttle = spikeMedian(job, Admission.THROTTLE, delay);
                System.out.printf("[sim standing delay] %d ms, spike, %s: drop lost ÷ minimum %.2f, throttle back"
                        + " ÷ T* %.2f (medians of %d seeds)%n", delay, spikeJobs[j][0], dropByJob[j][k], throttle,
                        SPIKE_SEEDS);
            }
            worstPauseCell[k] = Integer.MAX_VALUE;
            for (Object[] job : new Object[][] {{"n log n", UnmodelledCostSimulationTest.N_LOG_N},
                    {"spill+quadratic", UnmodelledCostSimulationTest.SPILL_QUADRATIC}}) {
                for (Admission admission : new Admission[] {Admission.THROTTLE, Admission.PLANNED}) {
                    int met = UnmodelledCostSimulationTest.seedsMeetingEveryFloor(
                            job[0] + ", standing delay " + delay + " ms", (LongToDoubleFunction) job[1],
                            Disturbance.GC_PAUSES, admission, () -> Scenarios.adaptive(b -> b.standingDelayMs(delay)));
                    worstPauseCell[k] = Math.min(worstPauseCell[k], met);
                    System.out.printf("[sim standing delay] %d ms, GC pauses, %s, %s: %d of 20 seeds meet every"
                            + " floor%n", delay, job[0], admission, met);
                }
            }
        }
        for (double[] drop : dropByJob) {
            for (int k = 1; k < drop.length; k++) {
                assertTrue(drop[k] < drop[k - 1], "drop's loss did not fall with the standing delay: "
                        + Arrays.toString(drop));
            }
            assertTrue(drop[drop.length - 1] <= drop[0] - 0.1, Arrays.toString(drop));
        }
        assertEquals(20, worstPauseCell[0], "without a standing delay every pause cell meets every floor");
        assertTrue(worstPauseCell[2] <= 12 && worstPauseCell[3] <= 2, "300 ms and 600 ms: " + worstPauseCell[2] + ", "
                + worstPauseCell[3] + " of 20 seeds in the worst pause cell (measured 8 and 0)");
    }

    private static double spikeMedian(LongToDoubleFunction job, Admission admission, long standingDelayMs) {
        double[] ratios = SpikeLimitSimulationTest.seeds(job, 0, admission, SPIKE_SEEDS,
                        () -> Scenarios.adaptive(b -> b.standingDelayMs(standingDelayMs))).stream()
                .mapToDouble(o -> admission == Admission.DROP ? o.lossRatio() : o.tStarRatio()).sorted().toArray();
        return ratios[SPIKE_SEEDS / 2];
    }
}
