package dev.sluice.sql.driver;

/**
 * The rows one trigger may admit from one source: the estimator's bound (rows/s) times the trigger interval, never 0,
 * never above the user's static cap ({@code maxOffsetsPerTrigger}). Before the estimator has said anything (the first
 * trigger of a query run, a restart included) the safe start applies instead of the bound.
 */
public final class RowLimit {

    /** No user cap: the source had "all available". */
    public static final long NO_CAP = Long.MAX_VALUE;

    private RowLimit() {
    }

    /**
     * @param boundPerSecond the estimator's bound for this source, NaN when it has published none yet
     * @param safeStartRate  rows/s for the first trigger: {@code sluice.rate.initial} if set, else {@code sluice.rate.min}
     * @param intervalMs     the processing-time trigger interval (&gt; 0)
     * @param userCap        the user's {@code maxOffsetsPerTrigger}, or {@link #NO_CAP}
     */
    public static long rows(double boundPerSecond, double safeStartRate, long intervalMs, long userCap) {
        double rate = Double.isNaN(boundPerSecond) ? safeStartRate : boundPerSecond;
        double rows = rate * intervalMs / 1000.0;
        long whole = rows >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1L, (long) Math.floor(rows));
        return Math.min(whole, Math.max(1L, userCap));
    }

    /** The safe start's rate: the configured initial rate when there is one, else the configured minimum. */
    public static double safeStartRate(double initialRate, double minRate) {
        return Double.isNaN(initialRate) || initialRate <= 0 ? minRate : initialRate;
    }
}
