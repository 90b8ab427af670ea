package dev.sluice.rate;

/**
 * How far recent batches <em>showed</em> the cluster can go, independent of any model: for each of the latest
 * completed non-empty batches, its records scaled by the headroom it left, {@code records × min(gain, target ÷ time)},
 * and the ceiling is the largest of these.
 *
 * <p>Why: the cost model's line is only as good as the batches it was fitted to. An overhead learned while the JVM
 * was still compiling (or from a window of batches of one size) makes its slope far too flat, and the line then
 * promises batches twice the size of any that ever ran in time: on a real run, after batches of 2 000–2 900 records
 * took 0.75–1.3 s, the line planned 4 200 records, which took 2.3 s and left 2.2 s of scheduling delay. Scaling a
 * measured batch by its own headroom is conservative whenever there is a per-batch overhead (time grows less than in
 * proportion to records), so the ceiling never stops the model from reaching what the batches proved; it only stops it
 * from going beyond. The history is not restarted when the cost model changes regime, so a cut (small batches) does
 * not forget what the batches before it proved.
 *
 * <p>The headroom leaves out the per-batch overhead the cost model has fitted, {@code (target − o) ÷ (time − o)}: the
 * overhead is paid once whatever the batch holds, so only the rest of a batch's time scales with its records. Scaled
 * by {@code target ÷ time} instead, a slow start grew ~1.5-fold per batch instead of twofold on the test bed's job
 * (957 records in 513 ms, 1 488 in 595 ms, with ~250 ms of overhead) and a drop run shed about as much in the 3 s ramp
 * as the spike's whole minimum loss. The overhead counts at most half of a batch's time (its records cost something
 * too), as in {@link BatchCostModel}.
 */
final class ProvenThroughput {
    private final long[] records;
    private final long[] times;
    private int count;
    private int next;

    ProvenThroughput(int batches) {
        this.records = new long[batches];
        this.times = new long[batches];
    }

    /** Learns from a completed batch; empty ones prove nothing. */
    void completed(long batchRecords, long processingMs) {
        if (batchRecords <= 0 || processingMs <= 0) {
            return;
        }
        records[next] = batchRecords;
        times[next] = processingMs;
        next = (next + 1) % records.length;
        count = Math.min(count + 1, records.length);
    }

    /** The records one batch may hold, or +Infinity before any batch completed. */
    double ceiling(double targetMs, double gain, double overheadMs) {
        if (count == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double ceiling = 0;
        for (int i = 0; i < count; i++) {
            double overhead = Math.max(0, Math.min(overheadMs, 0.5 * times[i]));
            double headroom = (targetMs - overhead) / (times[i] - overhead);
            ceiling = Math.max(ceiling, records[i] * Math.min(gain, headroom));
        }
        return ceiling;
    }
}
