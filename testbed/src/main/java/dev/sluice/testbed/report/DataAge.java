package dev.sluice.testbed.report;

import dev.sluice.testbed.report.RunData.Batch;

import java.util.List;

/**
 * End-to-end data age: how old records were when the job had processed them (completion time − send time), the
 * delay users feel. {@code work.csv} gives per batch the send times of its oldest and newest record; the batch's
 * records are taken as spread evenly between those two ages at its completion. Quantiles are weighted by records.
 * Records still queued at the stop have no completion: a pending batch at t counts in the maximum with the lower
 * bound stop − t (its records were sent before t), and not in the quantiles.
 *
 * @param records records the quantiles are over (completed batches in the range)
 */
public record DataAge(double p50S, double p95S, double maxS, long records) {

    public static final DataAge NONE = new DataAge(Double.NaN, Double.NaN, Double.NaN, 0);

    /** Over the batches with batch time in (fromT, toT]. */
    public static DataAge of(List<Batch> batches, double fromT, double toT, double stopT) {
        double max = Double.NaN;
        long total = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Batch b : batches) {
            if (!(b.t() > fromT && b.t() <= toT)) {
                continue;
            }
            double oldest = b.pending() ? stopT - b.t() : ageAtCompletion(b, true);
            if (!Double.isNaN(oldest)) {
                max = Double.isNaN(max) ? oldest : Math.max(max, oldest);
            }
            if (counts(b)) {
                total += b.records();
                lo = Math.min(lo, ageAtCompletion(b, false));
                hi = Math.max(hi, ageAtCompletion(b, true));
            }
        }
        if (total == 0) {
            return new DataAge(Double.NaN, Double.NaN, max, 0);
        }
        return new DataAge(quantile(batches, fromT, toT, total, 0.5, lo, hi),
                quantile(batches, fromT, toT, total, 0.95, lo, hi), max, total);
    }

    /** The age at completion of the batch's oldest record ({@code oldest}) or its newest; NaN when unknown. */
    static double ageAtCompletion(Batch b, boolean oldest) {
        if (b.pending() || Double.isNaN(b.oldestSendT())) {
            return Double.NaN;
        }
        double newest = Double.isNaN(b.newestSendT()) ? b.oldestSendT() : b.newestSendT();
        return b.endT() - (oldest ? b.oldestSendT() : newest);
    }

    private static boolean counts(Batch b) {
        return !b.pending() && b.records() > 0 && !Double.isNaN(b.oldestSendT());
    }

    /** The smallest age a with at least q of the records no older than a (bisection on the piecewise-linear CDF). */
    private static double quantile(List<Batch> batches, double fromT, double toT, long total, double q, double lo,
                                   double hi) {
        double want = q * total;
        for (int i = 0; i < 60 && hi - lo > 1e-6; i++) {
            double mid = (lo + hi) / 2;
            if (recordsNoOlderThan(batches, fromT, toT, mid) >= want) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static double recordsNoOlderThan(List<Batch> batches, double fromT, double toT, double age) {
        double n = 0;
        for (Batch b : batches) {
            if (b.t() > fromT && b.t() <= toT && counts(b)) {
                double young = ageAtCompletion(b, false);
                double old = ageAtCompletion(b, true);
                if (age >= old) {
                    n += b.records();
                } else if (age >= young && old > young) {
                    n += b.records() * (age - young) / (old - young);
                }
            }
        }
        return n;
    }
}
