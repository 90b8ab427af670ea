package dev.sluice.rate;

/**
 * Processing time of a batch as {@code overhead + perRecord × records} (all streams together: the cluster processes
 * one batch for all of them), fitted to recent completed batches.
 *
 * <p>Why two terms: a batch pays a fixed cost (job scheduling, task launch, output) whatever its size; measured on real
 * Spark, a 100-record batch took 0.18–0.4 s while 9 400 records took 1 s. Dividing records by processing time of small
 * batches therefore collapses the capacity estimate (8 600 → 1 100 records/s was measured). A least-squares line over
 * the last {@code costWindowBatches} non-empty batches, each weighing half the next newer one (a JVM still compiling
 * gets faster for 20 s and more; equal weights lagged it), separates the two terms whenever their sizes differ (they do
 * after every cut), and with batches of one size the overhead is kept and only the per-record cost refitted. Empty
 * batches teach nothing.
 *
 * <p>Tracking: a batch of a size comparable to the window (½× to 2× its mean) whose time misses the prediction by more
 * than the change threshold is a change of regime (a cost spike starts or ends): the window restarts from it, a slower
 * batch is believed at once when it is surely slower ({@link #SURE_SLOWDOWN}) or the second in a row (reacting late
 * builds backlog), a faster one with {@code costSpeedUpWeight}. A batch of very
 * different size that misses is explained by the fit instead (overhead), so small batches cannot collapse the estimate.
 *
 * <p>The change threshold is {@code costChangeBand} or {@link #NOISE_MULTIPLE} times the median miss of the latest
 * comparable batches, whichever is larger: a change of regime has to stand out of the run's own noise. On a quiet
 * cluster (misses of a few %) the band rules. On a noisy one a fixed band mistakes noise for regime changes: in spike
 * runs on 2 shared cores, batches of one size took 825–1 390 ms, each slow one was believed at once, the bound cut,
 * the next batch came small and fast and was believed too, and the bound swung 1 300 ↔ 2 700 records/s per stream
 * from batch to batch, wasting capacity on small batches. A cost doubling (+50 % to +100 % on the batch time) still
 * stands out of 15–20 % noise at once.
 *
 * <p>Return: a slowdown believed as a change of regime keeps the line that was in force before it. A later comparable
 * batch that is faster than the current line by more than the band, and closer to the line before the change than to
 * the current one (in log ratio), is the spike's end: that line is restored at once. Why: after a cost spike the
 * noise threshold (3 median misses) let the first cheap batch pass as noise, so the line walked down over 5–7
 * batches (recency weights), and the overhead, unconfirmed while the spike's batches were of one size, had decayed
 * (300 → ~90 ms in 10 batches), so even a believed cheap batch read the per-record cost ~40 % high; a throttled source
 * drained its backlog at a fraction of (capacity − offered). Choosing between two known lines needs far less evidence
 * than telling one line from noise: a cost doubling moves a batch by ~0.4–0.7 in log ratio, 3–5 σ of ±15 % noise.
 */
final class BatchCostModel {
    /** Weight of a batch relative to the next newer one in the fit. */
    private static final double RECENCY = 0.5;
    /**
     * A change of regime misses the prediction by this many times the median recent miss. For misses that are
     * half-normal, the median is 0.67 σ, so 3 medians is 2 σ: about one noisy batch in 40 is still taken for a change.
     */
    static final double NOISE_MULTIPLE = 3.0;
    /**
     * A slower batch beyond the change threshold but by less than this is believed only when the next comparable batch
     * is slower too; until then it is set aside. One moderately slow batch alone is more often a pause (GC, a
     * neighbour, a straggling task) than a new cost, and the delay it leaves is drained by the backlog term anyway;
     * believing it cut the next batch by a third for nothing. A cost doubling (+50 % to +100 % on the batch time) is
     * still believed at once, and where noise has raised the threshold above this, every change is.
     */
    static final double SURE_SLOWDOWN = 0.5;
    /**
     * An overhead the window cannot confirm (its batches are all of about one size) loses this share per batch. An
     * overhead too high makes the line too flat: every record looks cheap, each correction overshoots, and the bound
     * swings (an overhead learned while the JVM compiled, 495 ms against ~200 ms, stayed for 50 batches and the bound
     * swung 1 150 ↔ 3 000/s around a capacity of 2 400/s). Too low errs the safe way (corrections fall short, the
     * probe makes up), and the next batch of a different size, such as any cut, measures the overhead again.
     */
    private static final double UNCONFIRMED_OVERHEAD_DECAY = 0.9;
    /** Misses needed before the noise estimate is trusted over the band. */
    private static final int MIN_MISSES = 4;
    private final double batchIntervalMs;
    private final double targetUtilisation;
    private final double band;
    private final double speedUpWeight;
    private final double[] records;
    private final double[] times;
    private int count;
    private int next;
    /** |time ÷ predicted − 1| of the latest comparable batches (a ring, as long as the window). */
    private final double[] misses;
    private int missCount;
    private int missNext;

    /** The latest comparable batch was slower than the threshold but not surely: a second one confirms. */
    private boolean slowUnconfirmed;
    private double perRecordMs = Double.NaN;
    private double overheadMs;
    /** The line in force before the latest slowdown believed as a change of regime (NaN: none, or already returned). */
    private double perRecordBeforeMs = Double.NaN;
    private double overheadBeforeMs;

    BatchCostModel(EstimatorSettings settings) {
        this.batchIntervalMs = settings.batchIntervalMs;
        this.targetUtilisation = settings.targetUtilisation;
        this.band = settings.costChangeBand;
        this.speedUpWeight = settings.costSpeedUpWeight;
        this.records = new double[settings.costWindowBatches];
        this.times = new double[settings.costWindowBatches];
        this.misses = new double[settings.costWindowBatches];
    }

    boolean known() {
        return !Double.isNaN(perRecordMs);
    }

    double perRecordMs() {
        return perRecordMs;
    }

    double overheadMs() {
        return overheadMs;
    }

    /** Records one batch can hold so that it takes {@code targetUtilisation} of the interval. */
    double recordsPerFullBatch() {
        return Math.max(0, targetUtilisation * batchIntervalMs - overheadMs) / perRecordMs;
    }

    /** Predicted processing time of a batch of {@code records} (only when {@link #known()}). */
    double predictMs(long records) {
        return records <= 0 ? overheadMs : overheadMs + perRecordMs * records;
    }

    /** Learns from a completed batch. */
    void observe(long batchRecords, long processingMs) {
        if (batchRecords <= 0 || processingMs <= 0) {
            return; // an empty batch says nothing about per-record cost, and Spark's empty-batch time is not overhead
        }
        if (known() && comparableToWindow(batchRecords)) {
            double predicted = predictMs(batchRecords);
            double threshold = changeThreshold();
            addMiss(Math.abs(processingMs / predicted - 1));
            if (processingMs > predicted * (1 + threshold)) {
                boolean sure = processingMs > predicted * (1 + Math.max(threshold, SURE_SLOWDOWN));
                if (sure || slowUnconfirmed) {
                    slowUnconfirmed = false;
                    perRecordBeforeMs = perRecordMs;
                    overheadBeforeMs = overheadMs;
                    restartWindow(batchRecords, processingMs);
                    perRecordMs = perRecordSample(batchRecords, processingMs);
                    return;
                }
                slowUnconfirmed = true; // set aside: if the next comparable batch is not slow too, it was a pause
                return;
            } else {
                slowUnconfirmed = false;
            }
            if (backToTheLineBefore(batchRecords, processingMs, predicted)) {
                perRecordMs = perRecordBeforeMs;
                overheadMs = overheadBeforeMs;
                perRecordBeforeMs = Double.NaN;
                restartWindow(batchRecords, processingMs);
                return;
            }
            if (processingMs < predicted * (1 - threshold)) {
                restartWindow(batchRecords, processingMs);
                perRecordMs += speedUpWeight * (perRecordSample(batchRecords, processingMs) - perRecordMs);
                return;
            }
        }
        add(batchRecords, processingMs);
        refit();
    }

    /**
     * Faster than the current line by more than the band, and nearer the line before the latest believed slowdown than
     * the current one (log ratio): the slowdown is over (see the class comment).
     */
    private boolean backToTheLineBefore(long batchRecords, long processingMs, double predicted) {
        if (Double.isNaN(perRecordBeforeMs) || processingMs >= predicted * (1 - band)) {
            return false;
        }
        double before = overheadBeforeMs + perRecordBeforeMs * batchRecords;
        return Math.abs(Math.log(processingMs / before)) < Math.abs(Math.log(processingMs / predicted));
    }

    /** The relative miss beyond which a comparable batch is a change of regime (see the class comment). */
    double changeThreshold() {
        if (missCount < MIN_MISSES) {
            return band;
        }
        double[] sorted = java.util.Arrays.copyOf(misses, missCount);
        java.util.Arrays.sort(sorted);
        double median = missCount % 2 == 1 ? sorted[missCount / 2]
                : 0.5 * (sorted[missCount / 2 - 1] + sorted[missCount / 2]);
        return Math.max(band, NOISE_MULTIPLE * median);
    }

    private void addMiss(double miss) {
        misses[missNext] = miss;
        missNext = (missNext + 1) % misses.length;
        missCount = Math.min(missCount + 1, misses.length);
    }

    private boolean comparableToWindow(long batchRecords) {
        if (count == 0) {
            return true;
        }
        double mean = 0;
        for (int i = 0; i < count; i++) {
            mean += records[i];
        }
        mean /= count;
        return batchRecords >= 0.5 * mean && batchRecords <= 2 * mean;
    }

    private void restartWindow(long batchRecords, long processingMs) {
        count = 0;
        next = 0;
        add(batchRecords, processingMs);
    }

    private void add(long batchRecords, long processingMs) {
        records[next] = batchRecords;
        times[next] = processingMs;
        next = (next + 1) % records.length;
        count = Math.min(count + 1, records.length);
    }

    private void refit() {
        fitOverhead();
        // Recency weights for the per-record cost: a JVM that is still compiling, or a cost that drifts, makes older
        // batches wrong; the newest batch weighs 1, each older one RECENCY times less.
        double num = 0;
        double den = 0;
        int largest = 0;
        double weight = 1;
        for (int age = 0; age < count; age++, weight *= RECENCY) {
            int i = index(age);
            num += weight * records[i] * (times[i] - overheadMs);
            den += weight * records[i] * records[i];
            if (records[i] > records[largest]) {
                largest = i;
            }
        }
        // The records of the largest batch explain at least a quarter of its time: the cost stays positive.
        perRecordMs = Math.max(num / den, 0.25 * times[largest] / records[largest]);
    }

    /**
     * The overhead is a property of the job and the cluster that changes slowly, and an intercept is the noisiest part
     * of a line fit, so it is fitted with equal weights over the whole window (with recency weights the fit rests on ~2
     * batches: on a real run it jumped to the clamp, 495 ms against ~170 ms, and the capacity estimate swung 2x from
     * batch to batch). It can never exceed the fastest batch of the window: that batch's records cost something too.
     */
    private void fitOverhead() {
        double meanN = 0;
        double meanT = 0;
        double fastest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            meanN += records[i];
            meanT += times[i];
            fastest = Math.min(fastest, times[i]);
        }
        meanN /= count;
        meanT /= count;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < count; i++) {
            sxx += (records[i] - meanN) * (records[i] - meanN);
            sxy += (records[i] - meanN) * (times[i] - meanT);
        }
        // Only sizes that differ (coefficient of variation above ~0.3) can tell overhead from per-record cost.
        if (count >= 2 && sxx >= 0.1 * meanN * meanN * count && sxy > 0) {
            overheadMs = meanT - sxy / sxx * meanN;
        } else {
            overheadMs *= UNCONFIRMED_OVERHEAD_DECAY;
        }
        overheadMs = Math.min(clampOverhead(overheadMs), fastest);
    }

    /** Slot of the batch {@code age} batches before the newest. */
    private int index(int age) {
        return Math.floorMod(next - 1 - age, records.length);
    }

    /** The overhead may not explain more than half of the targeted batch time. */
    private double clampOverhead(double value) {
        return Math.max(0, Math.min(value, 0.5 * targetUtilisation * batchIntervalMs));
    }

    /** Never let the overhead explain more than half of a batch: the records did cost something. */
    private double perRecordSample(long batchRecords, long processingMs) {
        return Math.max(processingMs - overheadMs, 0.5 * processingMs) / batchRecords;
    }
}
