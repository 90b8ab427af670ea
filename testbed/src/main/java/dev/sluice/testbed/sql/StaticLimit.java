package dev.sluice.testbed.sql;

/**
 * The static read limit of the {@code static} mode, sized as a user sizes it from a load test: one trigger interval of
 * the capacity measured in the {@code none} run (stock Spark), so that a batch at that capacity fills the interval.
 * For files, in files of the writer's size, rounded to the nearest (at least 1).
 */
public final class StaticLimit {

    private StaticLimit() {
    }

    /** {@code maxOffsetsPerTrigger}: capacity (rows/s) × trigger interval, rounded, at least 1. */
    public static long rows(double capacityRowsPerS, long triggerMs) {
        return Math.max(1, Math.round(capacityRowsPerS * triggerMs / 1000.0));
    }

    /** {@code maxFilesPerTrigger}: {@link #rows} in files of {@code rowsPerFile}, rounded, at least 1. */
    public static long files(double capacityRowsPerS, long triggerMs, int rowsPerFile) {
        return Math.max(1, Math.round(rows(capacityRowsPerS, triggerMs) / (double) rowsPerFile));
    }
}
