package dev.sluice.testbed.report;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * A job's capacity judged from its own batches (records and processing time per batch), the yardstick the smoke tests
 * hold goodput and drain rates against.
 */
public final class BatchCapacity {

    /** A batch that ran at least this share of the interval had its fixed cost spread as a full batch has. */
    public static final double FULL_BATCH_SHARE = 0.8;
    /** Fewer full batches than this say too little about the rate; the fitted line stands in. */
    public static final int MIN_FULL_BATCHES = 10;

    private BatchCapacity() {
    }

    /**
     * Records per second of processing over the batches that filled the interval (processing at least
     * {@link #FULL_BATCH_SHARE} of it), total records ÷ total processing time. Mean time, not median, so the pauses a
     * shared machine takes now and then count against capacity as they count against any controller; full batches
     * only, so small, overhead-heavy batches a controller plans cannot lower it (a controller that never fills the
     * interval is judged against {@link #fittedLine}, which extrapolates to a full batch). The fitted line is not the
     * yardstick when full batches exist: stalls on a shared machine last several batches and a controller answers them
     * with smaller batches, so small batches run slow, the fitted slope comes out too flat and the line's full batch too
     * large (fits here have given more fixed cost per batch than whole batches of a quarter of the size took).
     */
    public static <T> double fullBatches(List<T> batches, ToLongFunction<T> records, ToLongFunction<T> processingMs,
                                  long intervalMs) {
        List<T> full = batches.stream().filter(b -> records.applyAsLong(b) > 0
                && processingMs.applyAsLong(b) >= FULL_BATCH_SHARE * intervalMs).toList();
        if (full.size() < MIN_FULL_BATCHES) {
            return fittedLine(batches, records, processingMs, intervalMs);
        }
        long n = full.stream().mapToLong(records).sum();
        long ms = full.stream().mapToLong(processingMs).sum();
        return n * 1000.0 / ms;
    }

    /**
     * Capacity by a line: processing time fitted over records (least squares: overhead + cost × records), and the
     * records a batch on that line holds in exactly one interval, per second. With sizes too alike to separate overhead
     * from cost, or a line that does not rise or starts below zero, the batches' own mean rate (total records ÷ total
     * processing time) is the capacity.
     */
    public static <T> double fittedLine(List<T> batches, ToLongFunction<T> records, ToLongFunction<T> processingMs,
                                 long intervalMs) {
        double[] line = line(batches, records, processingMs);
        return line == null ? 0 : (intervalMs - line[0]) / line[1] * 1000.0 / intervalMs;
    }

    /**
     * The fixed cost per batch (ms) of {@link #fittedLine}'s line; NaN when no batch held records or the sizes did not
     * separate a fixed cost (time not rising with records: the line is then the mean rate, with no fixed cost).
     */
    public static <T> double fittedOverheadMs(List<T> batches, ToLongFunction<T> records, ToLongFunction<T> processingMs) {
        double[] line = line(batches, records, processingMs);
        return line == null || line[2] == 0 ? Double.NaN : line[0];
    }

    /** {overhead ms, ms per record, 1 if fitted else 0} of {@link #fittedLine}; null when no batch held records. */
    private static <T> double[] line(List<T> batches, ToLongFunction<T> records, ToLongFunction<T> processingMs) {
        List<T> busy = batches.stream()
                .filter(b -> records.applyAsLong(b) > 0 && processingMs.applyAsLong(b) > 0).toList();
        if (busy.isEmpty()) {
            return null;
        }
        double meanN = busy.stream().mapToLong(records).average().orElse(0);
        double meanT = busy.stream().mapToLong(processingMs).average().orElse(0);
        double sxx = 0;
        double sxy = 0;
        for (T b : busy) {
            double dn = records.applyAsLong(b) - meanN;
            sxx += dn * dn;
            sxy += dn * (processingMs.applyAsLong(b) - meanT);
        }
        boolean fitted = sxx > 0 && sxy > 0;
        double perRecord = fitted ? sxy / sxx : meanT / meanN;
        double overhead = meanT - perRecord * meanN;
        if (overhead < 0) {
            perRecord = meanT / meanN;
            overhead = 0;
            fitted = false;
        }
        return new double[] {overhead, perRecord, fitted ? 1 : 0};
    }

    /** Index of the first batch that held at least {@code atLeast} records; -1 if none. */
    public static <T> int firstHolding(List<T> batches, ToLongFunction<T> records, double atLeast) {
        for (int i = 0; i < batches.size(); i++) {
            if (records.applyAsLong(batches.get(i)) >= atLeast) {
                return i;
            }
        }
        return -1;
    }
}
