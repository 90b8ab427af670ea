package dev.sluice.receiver.executor;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * The few Spark settings the executor runtime needs, read from {@code SparkEnv.get().conf()} (present in every executor
 * and driver once Spark is up). Absent (a unit test without Spark), the documented Spark defaults apply.
 */
final class SparkExecutorConf {

    static final long DEFAULT_BLOCK_INTERVAL_MS = 200;

    final long blockIntervalMs;
    final boolean receiverWalEnabled;

    SparkExecutorConf(long blockIntervalMs, boolean receiverWalEnabled) {
        this.blockIntervalMs = blockIntervalMs;
        this.receiverWalEnabled = receiverWalEnabled;
    }

    static SparkExecutorConf read() {
        try {
            SparkEnv env = SparkEnv.get();
            if (env != null) {
                SparkConf conf = env.conf();
                return new SparkExecutorConf(conf.getTimeAsMs("spark.streaming.blockInterval", "200ms"),
                        conf.getBoolean("spark.streaming.receiver.writeAheadLog.enable", false));
            }
        } catch (Throwable noSparkEnv) {
            // fall through to Spark's defaults
        }
        return new SparkExecutorConf(DEFAULT_BLOCK_INTERVAL_MS, false);
    }
}
