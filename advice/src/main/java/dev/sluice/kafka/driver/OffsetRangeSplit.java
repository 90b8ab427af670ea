package dev.sluice.kafka.driver;

/**
 * How many records each partition may give one batch of a direct Kafka stream, from the stream's bound: the batch's
 * records (bound × batch interval) split across partitions in proportion to their lag, as Spark's own
 * {@code DirectKafkaInputDStream.maxMessagesPerPartition} splits its rate. Floors are topped up by largest remainder, so
 * the total is the bound's records whenever the lag allows it (Spark floors and loses up to one record per partition).
 * Then, per partition as in Spark: never above the user's {@code maxRatePerPartition} × interval when it is set; never
 * below one record (or the user's {@code minRatePerPartition}) for a partition with lag, so a small partition is never
 * starved and a bound below the partition count still moves every partition (the total then exceeds the bound by at
 * most the partition count); never above the partition's lag (a partition without lag gets 0). Pure arithmetic.
 */
public final class OffsetRangeSplit {

    private OffsetRangeSplit() {
    }

    /**
     * @param batchRecords      records the bound allows in this batch (bound × interval), ≥ 0
     * @param lags              per partition, latest offset − current offset (negative counts as 0)
     * @param maxPerPartition   per partition, the user's cap in records per batch, ≤ 0 for none
     * @param minPerPartition   per partition, the least a partition with lag gets (Spark's minRatePerPartition, default 1)
     * @return per partition, the records this batch may take
     */
    public static long[] split(double batchRecords, long[] lags, long[] maxPerPartition, long[] minPerPartition) {
        int n = lags.length;
        long[] out = new long[n];
        double totalLag = 0;
        for (long lag : lags) {
            totalLag += Math.max(0, lag);
        }
        if (totalLag <= 0) {
            return out;
        }
        double budget = Math.max(0, batchRecords);
        double[] remainder = new double[n];
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            long lag = Math.max(0, lags[i]);
            if (lag == 0) {
                continue;
            }
            double share = Math.min(budget * lag / totalLag, ceiling(lag, maxPerPartition[i]));
            out[i] = (long) Math.floor(share);
            remainder[i] = share - out[i];
            assigned += out[i];
        }
        long leftover = (long) Math.floor(Math.min(budget, totalLag)) - assigned;
        while (leftover > 0) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (remainder[i] > 0 && out[i] < ceiling(Math.max(0, lags[i]), maxPerPartition[i])
                        && (best < 0 || remainder[i] > remainder[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            out[best]++;
            remainder[best] = 0;
            leftover--;
        }
        for (int i = 0; i < n; i++) {
            long lag = Math.max(0, lags[i]);
            if (lag > 0) {
                out[i] = Math.min(lag, Math.max(out[i], Math.max(1, minPerPartition[i])));
            }
        }
        return out;
    }

    private static long ceiling(long lag, long max) {
        return max > 0 ? Math.min(lag, max) : lag;
    }
}
