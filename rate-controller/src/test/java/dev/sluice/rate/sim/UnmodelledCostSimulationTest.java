package dev.sluice.rate.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.LongToDoubleFunction;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.RateEstimator;
import dev.sluice.rate.sim.SimulatedStreamingJob.Admission;

/**
 * Jobs whose batch time is <em>not</em> overhead + per-record cost × records, the line the estimator fits: a quadratic
 * term with a spill step (records beyond a memory threshold cost twice as much), and n·log n (a sort). Disturbances on
 * top, alone and together: heavy-tailed noise (log-normal, sigma 0.1: one batch in 1 000 takes 1.36× its median) and a
 * full-GC pause of 300–800 ms every 10th batch. The source offers 3–5× the job's true capacity (drawn per seed), the
 * receivers start 10–58 % of an interval before the first batch (the range measured on real Spark). Receiver admission
 * is THROTTLE (under an overload that never ends DROP admits the same records), planned admission is a Kafka direct
 * stream.
 *
 * <p>True capacity comes from the simulated cost function, not from the estimator: the largest batch whose expected
 * time (the noise's mean and the pauses spread over the batches included) fits the interval. The floors, per
 * seed: steady (every later batch waits less than an interval) within 15 batches, peak scheduling delay below 5 s,
 * goodput from the first steady batch ≥ 0.95 of that capacity.
 */
class UnmodelledCostSimulationTest {

    private static final int SEEDS = 20;
    private static final long INTERVAL_MS = 1000;
    private static final Admission[] ADMISSIONS = {Admission.THROTTLE, Admission.PLANNED};

    /** 60 ms + 0.08 ms/record, 0.16 ms/record beyond 6 000 records (spill), + 1.5e-6 ms × n². */
    static final LongToDoubleFunction SPILL_QUADRATIC =
            n -> 60 + 0.08 * Math.min(n, 6000) + 0.16 * Math.max(0, n - 6000) + 1.5e-6 * n * n;
    /** 40 ms + 0.012 ms × n·ln n (a sort). */
    static final LongToDoubleFunction N_LOG_N = n -> 40 + 0.012 * n * Math.log(Math.max(1, n));

    enum Disturbance {
        NONE(0, 0), LOG_NORMAL(0.1, 0), GC_PAUSES(0, 10), BOTH(0.1, 10);

        final double sigma;
        final int pauseEvery;

        Disturbance(double sigma, int pauseEvery) {
            this.sigma = sigma;
            this.pauseEvery = pauseEvery;
        }
    }

    /** Where the floors hold on every seed and both admissions. */
    @Test
    void nLogNWithGcPausesMeetsEveryFloorOnEverySeed() {
        for (Disturbance d : new Disturbance[] {Disturbance.NONE, Disturbance.GC_PAUSES}) {
            for (Admission admission : ADMISSIONS) {
                Cell cell = run("n log n", N_LOG_N, d, admission);
                assertTrue(cell.missed.isEmpty(), cell.missed.size() + " seeds missed a floor; the first:\n"
                        + (cell.missed.isEmpty() ? "" : cell.missed.get(0)));
            }
        }
    }

    /**
     * A stated limit, not a pass: with the spill step, or with log-normal noise, the floors are missed on some seeds.
     * Why (see rate-controller/README.md): a small batch after a cut runs cheaper per record than a full one, so the
     * line, the probe and the proven ceiling all scale it up past capacity (on a convex cost "a batch g× larger takes
     * at most g× as long" is false), the next full batch overruns and the cycle repeats; a pause of ≥ 50 % is believed
     * as a new cost and cuts; and a first batch of 3–5× a superlinear job's input can hold more than 5 s of work before
     * any evidence. Asserted: what was measured, as a bound against regressions (mean goodput ≥ 0.90 of the true
     * capacity in every cell, peak below 7 s, and at least the measured number of seeds meeting every floor).
     */
    @Test
    void spillStepAndHeavyTailedNoiseAreBoundedButMissFloorsOnSomeSeeds() {
        List<String> report = new ArrayList<>();
        for (Object[] c : new Object[][] {
                {"spill+quadratic", SPILL_QUADRATIC, Disturbance.NONE, 20},
                {"spill+quadratic", SPILL_QUADRATIC, Disturbance.LOG_NORMAL, 8},
                {"spill+quadratic", SPILL_QUADRATIC, Disturbance.GC_PAUSES, 20},
                {"spill+quadratic", SPILL_QUADRATIC, Disturbance.BOTH, 2},
                {"n log n", N_LOG_N, Disturbance.LOG_NORMAL, 17},
                {"n log n", N_LOG_N, Disturbance.BOTH, 4}}) {
            for (Admission admission : ADMISSIONS) {
                Cell cell = run((String) c[0], (LongToDoubleFunction) c[1], (Disturbance) c[2], admission);
                int atLeast = (Integer) c[3];
                if (cell.goodputSum / SEEDS < 0.90 || cell.worstPeakMs >= 7000 || SEEDS - cell.missed.size() < atLeast) {
                    report.add(cell.summary() + " (expected ≥ " + atLeast + " seeds meeting every floor)\n"
                            + (cell.missed.isEmpty() ? "" : cell.missed.get(0)));
                }
            }
        }
        assertTrue(report.isEmpty(), String.join("\n", report));
    }

    /**
     * The yardstick for the cells above: an oracle that knows the job's true capacity (the pauses' and the noise's
     * mean included) and holds the stream at a fixed share of it from the first batch, judged by the same floors on the
     * same seeds with pauses and noise together. Measured (20 seeds, throttle), spill+quadratic / n log n: at 0.95 of
     * the capacity 13 / 12 seeds meet every floor (the rest miss goodput by the noise), at 0.96 20 / 19 (where the
     * estimator meets them on 4 and 6), at 0.97 20 / 16, at 0.98 16 / 14, at 0.99, the share of the interval the
     * estimator targets, 10 / 8 (a pause of up to 800 ms on a slow draw leaves a batch waiting an interval, and 1 %
     * headroom takes too long to work it off). So the floors are within reach under this disturbance, in a band about
     * 1 % wide, and what the estimator misses is headroom for the noise, not a physical limit. Asserted as measured,
     * against regressions of the harness.
     */
    @Test
    void anOracleAtNinetySixPercentOfTheTrueCapacityMeetsTheFloorsUnderPausesWithNoise() {
        List<String> report = new ArrayList<>();
        for (Object[] c : new Object[][] {
                {"spill+quadratic", SPILL_QUADRATIC, 0.95, 13}, {"spill+quadratic", SPILL_QUADRATIC, 0.96, 20},
                {"spill+quadratic", SPILL_QUADRATIC, 0.97, 20}, {"spill+quadratic", SPILL_QUADRATIC, 0.98, 16},
                {"spill+quadratic", SPILL_QUADRATIC, 0.99, 10},
                {"n log n", N_LOG_N, 0.95, 12}, {"n log n", N_LOG_N, 0.96, 19}, {"n log n", N_LOG_N, 0.97, 16},
                {"n log n", N_LOG_N, 0.98, 14}, {"n log n", N_LOG_N, 0.99, 8}}) {
            double share = (Double) c[2];
            Cell cell = oracle((String) c[0], (LongToDoubleFunction) c[1], Disturbance.BOTH, share);
            int met = SEEDS - cell.missed.size();
            if (met != (Integer) c[3]) {
                report.add(cell.summary() + " (measured " + c[3] + " seeds meeting every floor)");
            }
        }
        assertTrue(report.isEmpty(), String.join("\n", report));
    }

    /**
     * The oracle above says headroom: could the estimator simply target 0.96 or 0.97 of the interval instead of 0.99?
     * Not enough: with both disturbances a lower target moves the cells by a few seeds, far from the oracle's 16–20 of
     * 20. Measured (spill+quadratic receiver / planned, n log n receiver / planned): at u = 0.99 2 / 6 / 4 / 10, at 0.97
     * 3 / 6 / 7 / 10, at 0.96 6 / 4 / 8 / 10. The estimator's bound follows the noise of single batches (a fast draw is
     * believed, probed and proven on; a pause is believed as a new cost until the next batch), so it swings ±10 % around
     * its target, and the floors need it within about 1 %. A stated limit: if a cell reaches 13 or more here, the
     * estimator has improved and rate-controller/README.md should say so.
     */
    @Test
    void aLowerTargetAloneDoesNotBuyTheOraclesHeadroomUnderPausesWithNoise() {
        List<String> report = new ArrayList<>();
        for (double u : new double[] {0.97, 0.96}) {
            for (Object[] c : new Object[][] {{"spill+quadratic", SPILL_QUADRATIC}, {"n log n", N_LOG_N}}) {
                for (Admission admission : ADMISSIONS) {
                    int met = seedsMeetingEveryFloor(c[0] + ", target " + u, (LongToDoubleFunction) c[1],
                            Disturbance.BOTH, admission, () -> Scenarios.adaptive(b -> b.targetUtilisation(u)));
                    if (met >= 13) {
                        report.add(c[0] + ", " + admission + ", target " + u + ": " + met + " of " + SEEDS);
                    }
                }
            }
        }
        assertTrue(report.isEmpty(), String.join("\n", report));
    }

    /**
     * With noise alone or pauses alone, a fixed bound at 0.96 or 0.97 of the true capacity meets every floor on every
     * seed of both jobs, where the estimator misses some (spill+quadratic: 10 and 17 of 20 met). So in those cells
     * what the estimator lacks is not headroom but a steady bound: on the convex job it overshoots after every cut
     * (see rate-controller/README.md). Measured: at 0.95 the oracle's goodput is 0.95 less the noise, under the floor
     * on 8 of 20 seeds by construction; at 0.98, 18 of 20 on n log n with noise.
     */
    @Test
    void anOracleAtNinetySixOrNinetySevenPercentMeetsEveryFloorUnderNoiseAloneOrPausesAlone() {
        List<String> report = new ArrayList<>();
        for (Object[] c : new Object[][] {{"spill+quadratic", SPILL_QUADRATIC}, {"n log n", N_LOG_N}}) {
            for (Disturbance d : new Disturbance[] {Disturbance.LOG_NORMAL, Disturbance.GC_PAUSES}) {
                for (double share : new double[] {0.96, 0.97}) {
                    Cell cell = oracle((String) c[0], (LongToDoubleFunction) c[1], d, share);
                    if (!cell.missed.isEmpty()) {
                        report.add(cell.summary() + "\n" + cell.missed.get(0));
                    }
                }
            }
        }
        assertTrue(report.isEmpty(), String.join("\n", report));
    }

    /** A receiver held from the first batch at {@code share} of the job's true capacity, on every seed. */
    private static Cell oracle(String name, LongToDoubleFunction cost, Disturbance d, double share) {
        return run(name + ", oracle at " + share, cost, d, Admission.THROTTLE,
                job -> new FixedBound(share * capacityRecordsPerSecond(job)));
    }

    /** Publishes one fixed bound, for every stream, at every event. */
    private static final class FixedBound implements RateEstimator {
        private final long bound;

        FixedBound(double recordsPerSecond) {
            this.bound = Math.max(1, Math.round(recordsPerSecond));
        }

        @Override
        public void onReceiverStarted(int streamId, BoundSink sink) {
            sink.publish(streamId, bound);
        }

        @Override
        public void onBatchSubmitted(BatchSample batch, BoundSink sink) {
            for (int i = 0; i < batch.streamCount(); i++) {
                sink.publish(batch.streamId(i), bound);
            }
        }

        @Override
        public void onBatchCompleted(BatchSample batch, BoundSink sink) {
            onBatchSubmitted(batch, sink);
        }
    }

    /** On how many of the {@link #SEEDS} seeds {@code estimator} meets every floor (for the trade-offs elsewhere). */
    static int seedsMeetingEveryFloor(String name, LongToDoubleFunction cost, Disturbance d, Admission admission,
                                      Supplier<RateEstimator> estimator) {
        return SEEDS - run(name, cost, d, admission, job -> estimator.get()).missed.size();
    }

    /** The floors of one job, disturbance and admission over {@link #SEEDS} seeds. */
    private static Cell run(String name, LongToDoubleFunction cost, Disturbance d, Admission admission) {
        return run(name, cost, d, admission, job -> Scenarios.adaptive());
    }

    private static Cell run(String name, LongToDoubleFunction cost, Disturbance d, Admission admission,
                            Function<SimulatedStreamingJob.Config, RateEstimator> estimator) {
        Cell cell = new Cell(name + ", " + d + ", " + admission);
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulatedStreamingJob.Config c = job(cost, d, admission, seed);
            double capacity = capacityRecordsPerSecond(c);
            cell.capacity = capacity;
            SimulationResult r = new SimulatedStreamingJob(c).run(estimator.apply(c));
            int steady = r.firstSteadyBatch();
            int loaded = r.firstLoadedSteadyBatch(); // the slow start's ramp is start-up, not the steady state
            double goodput = loaded < 0 ? 0 : recordsPerSecondFrom(r, loaded) / capacity;
            long peak = r.peakSchedulingDelayMs();
            if (steady < 1 || steady > 15 || peak >= 5000 || goodput < 0.95) {
                cell.missed.add(String.format("%s, seed %d (phase %.2f, capacity %.0f/s): steady from batch %d, peak "
                        + "%d ms, goodput %.3f%n%s", cell.name, seed, r.phase, capacity, steady, peak, goodput, r.table()));
            }
            cell.goodputSum += goodput;
            cell.worstGoodput = Math.min(cell.worstGoodput, goodput);
            cell.peakSumMs += peak;
            cell.worstPeakMs = Math.max(cell.worstPeakMs, peak);
            cell.steadySum += steady < 0 ? r.batches().size() : steady;
            cell.latestSteady = steady < 0 || cell.latestSteady < 0 ? -1 : Math.max(cell.latestSteady, steady);
        }
        System.out.println("[sim unmodelled cost] " + cell.summary());
        return cell;
    }

    static SimulatedStreamingJob.Config job(LongToDoubleFunction cost, Disturbance d, Admission admission, long seed) {
        SplittableRandom draw = new SplittableRandom(seed * 7919);
        double overload = 3 + 2 * draw.nextDouble();
        double phase = 0.1 + 0.48 * draw.nextDouble();
        SimulatedStreamingJob.Config c = SimulatedStreamingJob.config().batchIntervalMs(INTERVAL_MS).batchCostMs(cost)
                .jitter(0.02).logNormalNoise(d.sigma).pauses(d.pauseEvery, 300, 800).boundDelayMs(200)
                .admission(admission).phase(phase).seed(seed).durationMs(120_000);
        double offered = overload * capacityRecordsPerSecond(c);
        return c.stream(t -> offered);
    }

    /** The largest batch whose expected time fits the interval, per second. */
    static double capacityRecordsPerSecond(SimulatedStreamingJob.Config c) {
        long lo = 0;
        long hi = 1_000_000;
        while (lo < hi) {
            long mid = (lo + hi + 1) / 2;
            if (c.expectedBatchMs(mid) <= INTERVAL_MS) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo * 1000.0 / INTERVAL_MS;
    }

    private static double recordsPerSecondFrom(SimulationResult r, int fromIndex) {
        long records = 0;
        int last = r.batches().size();
        for (int i = fromIndex; i <= last; i++) {
            records += r.batch(i).totalRecords();
        }
        return records / ((last - fromIndex + 1) * INTERVAL_MS / 1000.0);
    }

    private static final class Cell {
        final String name;
        final List<String> missed = new ArrayList<>();
        double capacity;
        double goodputSum;
        double worstGoodput = Double.POSITIVE_INFINITY;
        double peakSumMs;
        long worstPeakMs;
        double steadySum;
        /** -1 once a seed never became steady. */
        int latestSteady;

        Cell(String name) {
            this.name = name;
        }

        String summary() {
            return String.format("%s, capacity %.0f/s, %d seeds: floors met on %d; steady from batch mean %.1f, "
                            + "latest %s; peak delay mean %.2f s, worst %.2f s; goodput mean %.3f, worst %.3f", name,
                    capacity, SEEDS, SEEDS - missed.size(), steadySum / SEEDS,
                    latestSteady < 0 ? "never (a seed)" : String.valueOf(latestSteady), peakSumMs / SEEDS / 1000,
                    worstPeakMs / 1000.0, goodputSum / SEEDS, worstGoodput);
        }
    }
}
