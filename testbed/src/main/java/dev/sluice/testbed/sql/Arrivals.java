package dev.sluice.testbed.sql;

import dev.sluice.testkit.kafka.CountTimeline;

/**
 * When the input rows became readable, as the writer recorded it (here: a file renamed into the directory): rows
 * readable by a moment, independent of Spark.
 */
public final class Arrivals {

    private final CountTimeline readable = new CountTimeline();
    private long total;

    /** {@code rows} more became readable at {@code epochMs} (calls in time order). */
    public synchronized void add(long epochMs, long rows) {
        total += rows;
        readable.reached(epochMs, total);
    }

    /** Rows readable at or before {@code epochMs}. */
    public long by(long epochMs) {
        return readable.at(epochMs);
    }

    public synchronized long total() {
        return total;
    }
}
