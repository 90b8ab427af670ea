package dev.sluice.rate;

/**
 * Bit-for-bit port of Spark's {@code org.apache.spark.streaming.scheduler.rate.PIDRateEstimator} (identical in 3.4 to
 * 4.1): same range checks and messages, same state, same double arithmetic in the same order, so that every output
 * equals Spark's. {@code NaN} stands for Spark's {@code None}.
 *
 * <p>Kept separate from {@link PidRateEstimator} so that exactness can be tested without any Sluice policy around it.
 * Methods are synchronized because Spark's {@code compute} is.
 */
public final class SparkPidEstimator {
    private final long batchIntervalMillis;
    private final double proportional;
    private final double integral;
    private final double derivative;
    private final double minRate;

    private boolean firstRun = true;
    private long latestTime = -1L;
    private double latestRate = -1D;
    private double latestError = -1L;

    public SparkPidEstimator(long batchIntervalMillis, double proportional, double integral, double derivative,
                             double minRate) {
        // Same checks and order as Spark's require(...) calls; Scala's require prefixes "requirement failed: ".
        require(batchIntervalMillis > 0,
                "Specified batch interval " + batchIntervalMillis + " in PIDRateEstimator is invalid.");
        require(proportional >= 0, "Proportional term " + proportional + " in PIDRateEstimator should be >= 0.");
        require(integral >= 0, "Integral term " + integral + " in PIDRateEstimator should be >= 0.");
        require(derivative >= 0, "Derivative term " + derivative + " in PIDRateEstimator should be >= 0.");
        require(minRate > 0, "Minimum rate in PIDRateEstimator should be > 0");
        this.batchIntervalMillis = batchIntervalMillis;
        this.proportional = proportional;
        this.integral = integral;
        this.derivative = derivative;
        this.minRate = minRate;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("requirement failed: " + message);
        }
    }

    /**
     * @param time            the batch's processing end time, ms
     * @param numElements     records of this stream in the batch
     * @param processingDelay ms
     * @param schedulingDelay ms
     * @return the new rate (records/s), or NaN where Spark returns {@code None}
     */
    public synchronized double compute(long time, long numElements, long processingDelay, long schedulingDelay) {
        if (time > latestTime && numElements > 0 && processingDelay > 0) {
            double delaySinceUpdate = (double) (time - latestTime) / (double) 1000;
            double processingRate = (double) numElements / (double) processingDelay * (double) 1000;
            double error = latestRate - processingRate;
            double historicalError = (double) schedulingDelay * processingRate / (double) batchIntervalMillis;
            double dError = (error - latestError) / delaySinceUpdate;
            double newRate = Math.max(latestRate - proportional * error - integral * historicalError
                    - derivative * dError, minRate);
            latestTime = time;
            if (firstRun) {
                latestRate = processingRate;
                latestError = 0D;
                firstRun = false;
                return Double.NaN;
            }
            latestRate = newRate;
            latestError = error;
            return newRate;
        }
        return Double.NaN;
    }
}
