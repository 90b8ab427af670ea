package dev.sluice.rate;

/**
 * The last bounds published for one stream and when, so that a batch's records can be compared with the bound that was
 * actually in force while they arrived (the bound often changes within an interval).
 */
final class BoundHistory {
    private static final int SIZE = 16;
    private final long[] times = new long[SIZE];
    private final long[] bounds = new long[SIZE];
    private int count;
    private int next;

    void published(long timeMs, long bound) {
        times[next] = timeMs;
        bounds[next] = bound;
        next = (next + 1) % SIZE;
        count = Math.min(count + 1, SIZE);
    }

    /** The latest bound, or -1 if none. */
    long latest() {
        return count == 0 ? -1 : bounds[(next - 1 + SIZE) % SIZE];
    }

    /**
     * Time-weighted mean bound over [fromMs, toMs]; +Infinity if no bound was in force for part of it (unbounded, or
     * older than the history).
     */
    double averageOver(long fromMs, long toMs) {
        if (count == 0 || toMs <= fromMs) {
            return count == 0 ? Double.POSITIVE_INFINITY : latest();
        }
        double weighted = 0;
        long end = toMs;
        for (int k = 1; k <= count; k++) {
            int i = (next - k + SIZE) % SIZE;
            long start = Math.max(times[i], fromMs);
            if (start < end) {
                weighted += (double) bounds[i] * (end - start);
                end = start;
            }
            if (times[i] <= fromMs) {
                return weighted / (toMs - fromMs);
            }
        }
        return Double.POSITIVE_INFINITY;
    }
}
