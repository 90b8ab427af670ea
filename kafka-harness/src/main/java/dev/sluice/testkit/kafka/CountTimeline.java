package dev.sluice.testkit.kafka;

import java.util.Arrays;

/**
 * A count that only grows, with when it grew (epoch ms, one entry per millisecond): how many records or rows a writer
 * had made readable by a given moment.
 */
public final class CountTimeline {

    /** {@code totals[i]} had been reached by {@code times[i]} (ascending); {@code n} entries. */
    private long[] times = new long[1024];
    private long[] totals = new long[1024];
    private int n;

    /** The count is {@code total} from {@code epochMs} on (calls in time order; a step back counts as the same ms). */
    public synchronized void reached(long epochMs, long total) {
        if (n > 0 && epochMs <= times[n - 1]) {
            totals[n - 1] = total;
            return;
        }
        if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
            totals = Arrays.copyOf(totals, n * 2);
        }
        times[n] = epochMs;
        totals[n] = total;
        n++;
    }

    /** The count at {@code epochMs} (0 before the first entry). */
    public synchronized long at(long epochMs) {
        int i = Arrays.binarySearch(times, 0, n, epochMs);
        if (i < 0) {
            i = -i - 2; // the last entry before
        }
        return i < 0 ? 0 : totals[i];
    }
}
