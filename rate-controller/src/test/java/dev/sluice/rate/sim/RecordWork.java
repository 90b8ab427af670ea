package dev.sluice.rate.sim;

import java.util.ArrayDeque;

/**
 * Records in arrival order with the work each carries ({@link SimulatedStreamingJob.Config#workFactor}), so records that
 * wait (at a throttled source, or admitted and not yet in a batch) keep the work of the time they were offered.
 */
final class RecordWork {
    /** Segments {records, work factor}, oldest first. */
    private final ArrayDeque<double[]> segments = new ArrayDeque<>();

    void add(double records, double factor) {
        if (records <= 0) {
            return;
        }
        double[] last = segments.peekLast();
        if (last != null && last[1] == factor) {
            last[0] += records;
        } else {
            segments.addLast(new double[] {records, factor});
        }
    }

    /** Removes the oldest {@code records} (or all there are) and returns their work in records × factor. */
    double take(double records) {
        double work = 0;
        while (records > 1e-12 && !segments.isEmpty()) {
            double[] head = segments.peekFirst();
            double n = Math.min(records, head[0]);
            work += n * head[1];
            head[0] -= n;
            records -= n;
            if (head[0] <= 1e-12) {
                segments.pollFirst();
            }
        }
        return work;
    }
}
