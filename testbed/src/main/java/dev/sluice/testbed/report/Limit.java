package dev.sluice.testbed.report;

import dev.sluice.testbed.report.RunData.Batch;
import dev.sluice.testbed.scenario.Phase;
import dev.sluice.testbed.scenario.ResolvedScenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The physical limit of one run: what an ideal system processing exactly at capacity C(t) (the capacity at the cost
 * of the record offered at t) could do with the load λ(t) the scenario offered. A lossless ideal system queues the
 * excess (queue Q: dQ/dt = λ − C, Q ≥ 0); a lossy ideal one that stays in real time sheds it. Definitions in
 * docs/testbed.md ("Against the limit").
 *
 * <p>A record carries its cost (the generator stamps it when it sends the record; the job's work is 2^cost moves), so
 * the queue a lossless system holds at the spike's end is made of spike records, and they keep their cost after it: the
 * queue drains in work, not in records. T* therefore follows the queued work W in seconds of the whole cluster
 * (dW/dt = λ/C − 1, W ≥ 0). Counting the queue in records that drain at the capacity after the spike, as this class
 * did first, understated a spike's T* by the cost ratio (half for {@code spike}): the test bed's throttle runs showed
 * batches at the spike's cost for ~14 s after it ended, while their records' send times fell inside the spike.
 *
 * @param backlogAtSpikeEnd Q at the spike's end (records); NaN without a spike
 * @param tStarS            seconds after the spike's end until the queued work W is done (the load's rate is 0 after
 *                          its end); for constant phases W(E) ÷ (1 − λ_after ÷ C_after) with W(E) = Q(E) ÷ C_spike;
 *                          NaN without a spike
 * @param minLoss           ∫ max(0, λ − C) dt over the load: the records a system that never queues must shed
 * @param overloadFromS     the first time (s from the scenario start) at which λ exceeds C, where the ideal lossy
 *                          system starts shedding; NaN when it never does. What a mode lost before it is the cost of
 *                          its start (it had no evidence of the job's capacity yet), not of the overload
 */
public record Limit(double capacity, double backlogAtSpikeEnd, double tStarS, double minLoss, double overloadFromS) {

    static final long STEP_MS = 10;

    /** The limit of {@code s} at {@code capacity} records/s at the probe's cost (NaN capacity: all NaN). */
    public static Limit of(ResolvedScenario s, double capacity) {
        if (!(capacity > 0)) {
            return new Limit(capacity, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double q = 0;
        double work = 0;
        double loss = 0;
        double dt = STEP_MS / 1000.0;
        int spike = Figures.spikePhase(s);
        long spikeEndMs = spike >= 0 ? s.phaseEndMs(spike) : -1;
        double atSpikeEnd = Double.NaN;
        double tStar = Double.NaN;
        double overloadFrom = Double.NaN;
        long end = s.durationMs();
        for (long t = 0; t < end; t += STEP_MS) {
            if (spikeEndMs >= 0 && t >= spikeEndMs && Double.isNaN(atSpikeEnd)) {
                atSpikeEnd = q;
            }
            if (spikeEndMs >= 0 && t >= spikeEndMs && work <= 0 && Double.isNaN(tStar)) {
                tStar = (t - spikeEndMs) / 1000.0;
            }
            double rate = s.rateAt(t);
            double c = Figures.capacityAt(capacity, s.costAt(t));
            if (rate > c && Double.isNaN(overloadFrom)) {
                overloadFrom = t / 1000.0;
            }
            loss += Math.max(0, rate - c) * dt;
            q = Math.max(0, q + (rate - c) * dt);
            work = Math.max(0, work + (rate / c - 1) * dt);
        }
        if (spikeEndMs >= 0 && Double.isNaN(atSpikeEnd)) {
            atSpikeEnd = q; // the spike is the last phase
        }
        if (spikeEndMs >= 0 && Double.isNaN(tStar)) {
            // Still queued when the load ended: nothing more arrives, the cluster works the queue off.
            tStar = (end - spikeEndMs) / 1000.0 + work;
        }
        return new Limit(capacity, atSpikeEnd, tStar, loss, overloadFrom);
    }

    /** Batches whose processing time lies within this share of B either side of B say what a full batch holds. */
    static final double NEAR_INTERVAL = 0.15;
    static final int MIN_FULL_BATCHES = 4;

    /**
     * The run's own capacity (records/s at the probe's cost), read where the probe reads its own: at batches that took
     * about the interval. Each completed batch whose whole interval (t − B, t] lies in one non-idle phase of cost c and
     * whose processing time P lies within ±{@link #NEAR_INTERVAL} B of B is scaled to take exactly B along the run's
     * fitted overhead o (least squares of processing time = o + cost × records × 2^(c − 7) over all its batches in
     * non-idle phases, 0 when the fit is unusable): records × 2^(c − 7) × (B − o) ÷ (P − o) ÷ B; the run's capacity is the median.
     * Not the fitted line's crossing of B, as the probe no longer uses it either: fitted over all of a run's batches,
     * most of them at 0.7 of the load in a spike run, it places B where no batch ran, and a job's cost per record rises
     * near saturation on shared cores. NaN when fewer than {@link #MIN_FULL_BATCHES} batches took about the interval
     * (the run never loaded the cluster).
     */
    public static double ownCapacity(RunData d) {
        ResolvedScenario s = d.scenario;
        LeastSquares ls = new LeastSquares();
        List<double[]> full = new ArrayList<>();
        for (Batch b : d.batches) {
            long fromMs = Math.round((b.t() - d.batchS) * 1000);
            long toMs = Math.round(b.t() * 1000);
            if (b.pending() || b.records() <= 0 || fromMs < 0 || toMs > s.durationMs()) {
                continue;
            }
            int p = s.phaseIndexAt(fromMs);
            if (p != s.phaseIndexAt(toMs - 1) || s.phase(p).kind() == Phase.Kind.IDLE) {
                continue;
            }
            double work = b.records() * Math.pow(2, s.phase(p).cost() - Figures.PROBE_COST);
            ls.add(work, b.processingDelayS());
            if (Math.abs(b.processingDelayS() - d.batchS) <= NEAR_INTERVAL * d.batchS) {
                full.add(new double[] {work, b.processingDelayS()});
            }
        }
        if (full.size() < MIN_FULL_BATCHES) {
            return Double.NaN;
        }
        double[] fit = ls.fit();
        double overheadS = fit != null && fit[1] > 0 && fit[0] > 0 && fit[0] < (1 - NEAR_INTERVAL) * d.batchS / 2
                ? fit[0] : 0;
        double[] perBatch = new double[full.size()];
        for (int i = 0; i < perBatch.length; i++) {
            double[] w = full.get(i);
            perBatch[i] = w[0] * (d.batchS - overheadS) / (w[1] - overheadS) / d.batchS;
        }
        Arrays.sort(perBatch);
        return Repeats.median(perBatch);
    }

    /** The fraction of (fromT, toT] during which the cluster was processing a batch (union of processing intervals). */
    public static double busyFraction(List<Batch> batches, double fromT, double toT) {
        if (!(toT > fromT)) {
            return Double.NaN;
        }
        double busy = 0;
        double coveredTo = fromT;
        for (Batch b : batches.stream().filter(x -> !x.pending()).sorted((a, c) -> Double.compare(a.startT(),
                c.startT())).toList()) {
            double from = Math.max(Math.max(b.startT(), coveredTo), fromT);
            double to = Math.min(b.endT(), toT);
            if (to > from) {
                busy += to - from;
                coveredTo = Math.max(coveredTo, to);
            }
        }
        return busy / (toT - fromT);
    }
}
