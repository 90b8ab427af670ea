package dev.sluice.rate;

/** Test helpers building {@link BatchSample}s for a 1 s interval. */
final class Batches {
    static final long INTERVAL = 1000;

    private Batches() {
    }

    /** Batch at {@code timeMs} as submitted, one stream (id 0). */
    static BatchSample submitted(long timeMs, long records) {
        return new BatchSample(timeMs, INTERVAL, timeMs, -1, -1, new int[] {0}, new long[] {records});
    }

    static BatchSample completed(long timeMs, long records, long startMs, long endMs) {
        return new BatchSample(timeMs, INTERVAL, timeMs, startMs, endMs, new int[] {0}, new long[] {records});
    }

    static BatchSample submitted(long timeMs, int[] ids, long[] records) {
        return new BatchSample(timeMs, INTERVAL, timeMs, -1, -1, ids, records);
    }

    static BatchSample completed(long timeMs, int[] ids, long[] records, long startMs, long endMs) {
        return new BatchSample(timeMs, INTERVAL, timeMs, startMs, endMs, ids, records);
    }
}
