package dev.sluice.receiver.driver;

/**
 * What the driver admitted into a stream's batches at planning time (a Kafka direct stream: no receiver, its batches
 * are cut from Kafka's offsets on the driver): the bound in force, the latest batch's records, the running total, and
 * the consumer lag left behind. Written once per batch by the stream's planning (Spark's JobGenerator thread, the only
 * writer), read by the metrics thread; no Spark type, so metrics and tests read it without Spark.
 */
public final class PlannedAdmission {

    private volatile long bound = -1;
    private volatile long lastBatch = -1;
    private volatile long total;
    private volatile long lag = -1;

    /**
     * One batch was planned.
     *
     * @param boundPerSecond the rate the plan used, records/s (0 while batches queue and the floor is planned)
     * @param lags           per partition, latest offset − current offset when the batch was planned
     * @param planned        per partition, the records planned (Spark's clamp ends the range at
     *                       {@code min(current + planned, latest)})
     */
    public void batchPlanned(long boundPerSecond, long[] lags, long[] planned) {
        long records = 0;
        long left = 0;
        for (int i = 0; i < lags.length; i++) {
            long available = Math.max(0, lags[i]);
            long taken = Math.min(available, Math.max(0, planned[i]));
            records += taken;
            left += available - taken;
        }
        bound = boundPerSecond;
        lastBatch = records;
        total += records;
        lag = left;
    }

    /** Whether any batch was planned yet (only streams planned on the driver ever are). */
    public boolean any() {
        return lastBatch >= 0;
    }

    /** The rate the latest plan used, records/s; 0 while batches queue (the floor); -1 before the first plan. */
    public long bound() {
        return bound;
    }

    /** Records admitted into the latest planned batch; -1 before the first. */
    public long lastBatch() {
        return lastBatch;
    }

    /** Records admitted into all batches planned so far. */
    public long total() {
        return total;
    }

    /**
     * Records available beyond the latest plan, as seen when it was made: the sum over partitions of the latest offset
     * − the planned end offset; -1 before the first plan.
     */
    public long lag() {
        return lag;
    }
}
