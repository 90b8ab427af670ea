package dev.sluice.rate;

/**
 * Processing time of a batch as {@code overhead + perRecord × records} (all streams together: the cluster processes
 * one batch for all of them), learnt from completed batches.
 *
 * <p>Why two terms: a batch pays a fixed cost (job scheduling, task launch, output) whatever its size; measured on real
 * Spark, a 100-record batch took 0.18–0.4 s while 9 400 records took 1 s. Dividing records by processing time of small
 * batches therefore collapses the capacity estimate (8 600 → 1 100 records/s was measured). So the per-record cost is
 * learnt only from large batches (at least {@code largeBatchFraction} of a full batch), and small non-empty batches
 * teach the overhead instead. Empty batches teach nothing.
 *
 * <p>Tracking: a sample slower than the estimate beyond the band is believed at once (capacity fell: reacting late
 * builds backlog); a clearly faster one with {@code costSpeedUpWeight} (capacity came back: the end of a cost spike);
 * samples within the band are smoothed (noise).
 */
final class BatchCostModel {
    private final double batchIntervalMs;
    private final double targetUtilisation;
    private final double largeBatchFraction;
    private final double band;
    private final double smoothing;
    private final double speedUpWeight;

    private double perRecordMs = Double.NaN;
    private double overheadMs;

    BatchCostModel(EstimatorSettings settings) {
        this.batchIntervalMs = settings.batchIntervalMs;
        this.targetUtilisation = settings.targetUtilisation;
        this.largeBatchFraction = settings.largeBatchFraction;
        this.band = settings.costChangeBand;
        this.smoothing = settings.costSmoothing;
        this.speedUpWeight = settings.costSpeedUpWeight;
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
    void observe(long records, long processingMs) {
        if (records <= 0 || processingMs <= 0) {
            return; // an empty batch says nothing about per-record cost, and Spark's empty-batch time is not overhead
        }
        if (!known()) {
            perRecordMs = perRecordSample(records, processingMs);
            return;
        }
        if (records >= largeBatchFraction * recordsPerFullBatch()) {
            learnPerRecord(perRecordSample(records, processingMs));
        } else {
            learnOverhead(processingMs - perRecordMs * records);
        }
    }

    /** Never let the overhead explain more than half of a batch: the records did cost something. */
    private double perRecordSample(long records, long processingMs) {
        return Math.max(processingMs - overheadMs, 0.5 * processingMs) / records;
    }

    private void learnPerRecord(double sample) {
        double ratio = sample / perRecordMs;
        if (ratio > 1 + band) {
            perRecordMs = sample;
        } else if (ratio < 1 - band) {
            perRecordMs += speedUpWeight * (sample - perRecordMs);
        } else {
            perRecordMs += smoothing * (sample - perRecordMs);
        }
    }

    private void learnOverhead(double sample) {
        double bounded = Math.max(0, Math.min(sample, 0.5 * targetUtilisation * batchIntervalMs));
        overheadMs += smoothing * (bounded - overheadMs);
    }
}
