package dev.sluice.testbed.run;

import dev.sluice.testbed.report.Csv;
import dev.sluice.testbed.report.LeastSquares;
import dev.sluice.testbed.scenario.Rate;
import dev.sluice.testbed.scenario.Scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The capacity probe's method: a staircase of offered rates in stock mode around a rough estimate, each step held
 * {@link #STEP_MS}; a step "keeps up" when its batches are processed within {@link #KEEP_UP_FRACTION} of the batch
 * interval and their scheduling delay stays small. Capacity is the maximum SUSTAINABLE rate, the rate at which a batch
 * takes the whole interval: read between the highest step that kept up and the first that did not (confirmed by the
 * next step also failing), where their measured mean processing times cross the interval. Not a straight line fitted
 * over all the steps and extrapolated: near saturation each record costs more (the machine's cores are shared with the
 * receivers and the source), so such a line, pulled by the low steps, crosses the interval above the rate the job
 * sustains (in 7 of the 9 probes recorded here, RecordedProbesTest: by 0.6–4 % above the crossing, or beyond the first
 * step that did not keep up). The line is still fitted, reported, and
 * used when every step kept up. Why not an overloaded run: under heavy overload every record costs more (GC, spill,
 * serializing the backlog), so records / processing time there is well below what the job sustains.
 */
public final class CapacityStaircase {

    /** Offered rates, as multiples of the estimate, in order. */
    public static final double[] STEPS = {0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.35, 1.5, 1.7};
    public static final long STEP_MS = 8_000;
    public static final long IDLE_MS = 2_000;
    /**
     * Held at {@link #WARM_UP_RATE} × estimate before the steps and never judged: fresh executor JVMs process several
     * times slower for their first 10-20 s here (JIT, class loading), which would fail the first steps.
     */
    public static final long WARM_UP_MS = 12_000;
    public static final double WARM_UP_RATE = 0.5;
    public static final int COST = 7;
    /** A step keeps up when its mean processing time is below this fraction of the batch interval. */
    static final double KEEP_UP_FRACTION = 0.95;
    /**
     * ... and its scheduling delay does not grow: mean of the second half − mean of the first half below this fraction
     * of the batch interval. Growth, not level: a backlog left by the warm-up or a burst of other load on the shared
     * machine is not this step's doing, and a step that processes faster than it receives drains it.
     */
    static final double MAX_SCHED_GROWTH_FRACTION = 0.25;
    /**
     * When every step kept up (no failure brackets the capacity), the fit is used when it lies in [LOW, HIGH] × the
     * highest step, else that step; the probe then runs once more around it, so that its top steps do fail.
     */
    static final double FIT_BAND_LOW = 0.95;
    static final double FIT_BAND_HIGH = 1.3;
    /**
     * The measurement is not trusted when the first step's mean scheduling delay (second half) is already this
     * fraction of the batch interval: the cluster was behind before the staircase began.
     */
    static final double MAX_FIRST_STEP_SCHED_FRACTION = 1.0;

    private CapacityStaircase() {
    }

    /** One completed batch: t = batch time − scenario start. */
    public record Batch(long tMs, long records, double processingMs, double schedulingMs) {
    }

    /**
     * @param offered the step's nominal rate
     * @param rate    what its batches held: their records ÷ (batches × B), the rate the step is judged by (the source
     *                may not deliver the nominal rate to a slow reader)
     */
    public record Step(double offered, double rate, boolean keptUp, int batches, double meanProcessingMs,
                       double meanSchedulingMs) {
    }

    /** Where the capacity figure comes from. */
    public enum Basis {
        /** Where the mean processing times of the bracketing steps cross the batch interval. */
        CROSSING("crossing of the interval between the two steps"),
        /**
         * The first step that did not keep up: its batches took less than the interval on average, so the crossing
         * lies beyond it, but that rate was seen not to be sustained (its scheduling delay grew, or its batches took
         * over {@link #KEEP_UP_FRACTION} of the interval).
         */
        FAILED_STEP("first step not kept up, its batches under the interval"),
        /** The highest step that kept up (the steps' processing times do not place the crossing). */
        STEP("step"),
        /** The line fitted over the steps (every step kept up). */
        FIT("fit");

        final String label;

        Basis(String label) {
            this.label = label;
        }
    }

    /**
     * @param capacity      the figure to use (records/s), see {@link Basis}
     * @param fitCapacity   (B − overhead) / cost, NaN when there is no usable fit
     * @param highestKeptUp the rate (processed) of the highest step that kept up, NaN when none did
     * @param firstFailed   the rate (processed) of the first failed step of the confirmed failure (it and the next
     *                      step failed, or it was the last step), NaN when there is none
     * @param doubts        why this measurement cannot be trusted (empty when it can): steps that contradict each
     *                      other, or a cluster already behind at the first step
     */
    public record Result(double capacity, double fitCapacity, double overheadMs, double costMsPerRecord,
                         double highestKeptUp, double firstFailed, Basis basis, List<Step> steps,
                         List<String> doubts) {

        public boolean trusted() {
            return doubts.isEmpty();
        }

        public String describe() {
            String fit = Double.isNaN(fitCapacity) ? "no fit"
                    : String.format(Locale.ROOT, "fit %.0f/s (overhead %.0f ms + %.4f ms/record)", fitCapacity,
                    overheadMs, costMsPerRecord);
            String failed = Double.isNaN(firstFailed) ? "every step kept up (capacity may be higher)"
                    : String.format(Locale.ROOT, "first step not kept up %.0f/s", firstFailed);
            return String.format(Locale.ROOT, "staircase: %s, highest step kept up %.0f/s, %s; used the %s%s", fit,
                    highestKeptUp, failed, basis.label,
                    trusted() ? "" : "; NOT TRUSTED: " + String.join("; ", doubts));
        }
    }

    /** The staircase scenario around {@code estimate} records/s in total (split over the receivers as always). */
    public static Scenario scenario(double estimate) {
        Scenario.Builder b = Scenario.builder(Scenario.CAPACITY_PROBE).idle(IDLE_MS)
                .hold(WARM_UP_MS, Rate.absolute(Math.round(WARM_UP_RATE * estimate)), COST);
        for (double m : STEPS) {
            b.hold(STEP_MS, Rate.absolute(Math.round(m * estimate)), COST);
        }
        return b.build();
    }

    public static List<Batch> batches(Csv csv, long startEpochMs) {
        List<Batch> out = new ArrayList<>();
        for (int i = 0; i < csv.size(); i++) {
            out.add(new Batch(csv.lng(i, "batchTimeMs") - startEpochMs, csv.lng(i, "records"),
                    csv.num(i, "processingDelayMs"), csv.num(i, "schedulingDelayMs")));
        }
        return out;
    }

    /** Analyses a run of {@link #scenario}: steps of {@link #STEPS} × estimate after the idle time and warm-up. */
    public static Result analyse(List<Batch> batches, double estimate, long batchMs) {
        List<Double> rates = new ArrayList<>();
        for (double m : STEPS) {
            rates.add((double) Math.round(m * estimate));
        }
        return analyse(batches, IDLE_MS + WARM_UP_MS, STEP_MS, rates, batchMs);
    }

    static Result analyse(List<Batch> batches, long stepsStartMs, long stepMs, List<Double> rates, long batchMs) {
        List<Step> steps = new ArrayList<>();
        List<Batch> fitBatches = new ArrayList<>();
        Step keptUp = null; // the highest step that kept up
        Step failed = null; // the first failed step of the confirmed failure
        Step pending = null; // a failed step the next one has not yet confirmed
        List<String> doubts = new ArrayList<>();
        for (int s = 0; s < rates.size(); s++) {
            long from = stepsStartMs + s * stepMs;
            long to = from + stepMs;
            // Batches whose whole interval (t − B, t] lies in the step.
            long first = from + batchMs;
            List<Batch> in = new ArrayList<>();
            for (Batch b : batches) {
                if (b.tMs() >= first && b.tMs() <= to) {
                    in.add(b);
                }
            }
            Step step = judge(rates.get(s), in, (to - first) / batchMs + 1, batchMs);
            steps.add(step);
            if (s == 0 && !(step.meanSchedulingMs() < MAX_FIRST_STEP_SCHED_FRACTION * batchMs)) {
                doubts.add(String.format(Locale.ROOT, "scheduling delay already %.0f ms at the first step (%.0f/s): "
                        + "the cluster was behind before the staircase began", step.meanSchedulingMs(), step.rate()));
            }
            if (!step.keptUp()) {
                // On a shared machine one step can fail from a burst of someone else's load: the staircase stops
                // at a failure confirmed by the next step (or at a failing last step); an isolated failed step is
                // left out of the fit and does not count as kept up.
                if (pending != null) {
                    failed = pending;
                    break;
                }
                pending = step;
                if (s == rates.size() - 1) {
                    failed = step;
                }
                continue;
            }
            if (pending != null) {
                doubts.add(String.format(Locale.ROOT, "the step at %.0f/s did not keep up while the higher one at "
                        + "%.0f/s did (other load on the machine?)", pending.rate(), step.rate()));
            }
            pending = null;
            keptUp = step;
            fitBatches.addAll(in);
        }
        double[] fit = fit(fitBatches);
        double fitCapacity = Double.NaN;
        if (fit != null && fit[1] > 0 && fit[0] < batchMs) {
            // records per batch interval at which processing takes the whole interval, as records/s
            fitCapacity = (batchMs - fit[0]) / fit[1] * 1000.0 / batchMs;
        }
        double highest = keptUp == null ? Double.NaN : keptUp.rate();
        double firstFailed = failed == null ? Double.NaN : failed.rate();
        Basis basis;
        double capacity;
        if (keptUp == null) {
            basis = Basis.STEP;
            capacity = -1;
        } else if (failed != null) {
            capacity = crossing(keptUp, failed, batchMs);
            basis = capacity <= highest ? Basis.STEP : capacity >= firstFailed ? Basis.FAILED_STEP : Basis.CROSSING;
        } else {
            boolean useFit = !Double.isNaN(fitCapacity) && fitCapacity >= FIT_BAND_LOW * highest
                    && fitCapacity <= FIT_BAND_HIGH * highest;
            basis = useFit ? Basis.FIT : Basis.STEP;
            capacity = useFit ? fitCapacity : highest;
        }
        if (firstFailed <= highest) {
            doubts.add(String.format(Locale.ROOT, "the first step that did not keep up processed %.0f/s, no more than "
                    + "the highest that did (%.0f/s)", firstFailed, highest));
        }
        return new Result(capacity, fitCapacity, fit == null ? Double.NaN : fit[0],
                fit == null ? Double.NaN : fit[1], highest, firstFailed, basis, steps, List.copyOf(doubts));
    }

    /**
     * The rate at which the mean processing time reaches the batch interval, interpolated between the highest step
     * that kept up and the first that did not, within their rates. The kept-up step's rate when the failed step's
     * processing says nothing about the crossing: it failed by its scheduling delay alone (someone else's load), or
     * processed no slower.
     */
    static double crossing(Step keptUp, Step failed, long batchMs) {
        if (!(failed.meanProcessingMs() >= KEEP_UP_FRACTION * batchMs)
                || !(failed.meanProcessingMs() > keptUp.meanProcessingMs()) || !(failed.rate() > keptUp.rate())) {
            return keptUp.rate();
        }
        double share = (batchMs - keptUp.meanProcessingMs()) / (failed.meanProcessingMs() - keptUp.meanProcessingMs());
        double rate = keptUp.rate() + share * (failed.rate() - keptUp.rate());
        return Math.max(keptUp.rate(), Math.min(failed.rate(), rate));
    }

    /** Kept up: nearly every batch of the step completed, processed within 0.95 B, scheduling delay not growing. */
    static Step judge(double offered, List<Batch> in, long expected, long batchMs) {
        double rate = in.isEmpty() ? 0 : in.stream().mapToLong(Batch::records).sum() * 1000.0 / (in.size() * batchMs);
        double proc = in.stream().mapToDouble(Batch::processingMs).average().orElse(Double.NaN);
        double firstHalf = in.subList(0, in.size() / 2).stream().mapToDouble(Batch::schedulingMs).average()
                .orElse(Double.NaN);
        double sched = in.subList(in.size() / 2, in.size()).stream().mapToDouble(Batch::schedulingMs).average()
                .orElse(Double.NaN);
        // A missing batch was not completed before the stop, or its step ran late: not keeping up.
        boolean enough = in.size() >= Math.max(2, expected - 2);
        boolean kept = enough && proc < KEEP_UP_FRACTION * batchMs
                && sched - firstHalf < MAX_SCHED_GROWTH_FRACTION * batchMs;
        return new Step(offered, rate, kept, in.size(), proc, sched);
    }

    /** Least squares processing ms = a + b × records over batches with records; null when degenerate. */
    static double[] fit(List<Batch> batches) {
        LeastSquares ls = new LeastSquares();
        for (Batch b : batches) {
            if (b.records() > 0) {
                ls.add(b.records(), b.processingMs());
            }
        }
        return ls.fit();
    }
}
