package dev.sluice.reactive;

import java.io.Serializable;

/**
 * Settings of a {@link ReactiveReceiver}. Immutable; {@code with*} methods return a modified copy.
 *
 * <ul>
 *   <li>{@code fallbackRate} (default 1 000 records/s): the rate requested when Spark reports no limit
 *       ({@code getCurrentRateLimit() == Long.MAX_VALUE}: no {@code spark.streaming.receiver.maxRate}, Spark's
 *       back-pressure off or before its first estimate, and no Sluice agent). Never unbounded: set
 *       {@code maxRate}, turn on back-pressure, run the Sluice agent, or raise this.</li>
 *   <li>{@code blockIntervalMillis} (default: {@code spark.streaming.blockInterval} of the executor, 200 ms): how
 *       often demand is renewed and a block is stored.</li>
 *   <li>{@code restartDelayMillis} (default: {@code spark.streaming.receiverRestartDelay}, 2 000 ms) and
 *       {@code maxRestartDelayMillis} (default 60 000 ms): back-off after a failure, doubled per failure in a
 *       row.</li>
 * </ul>
 */
public final class ReactiveReceiverOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Means: take the value from the executor's Spark configuration. */
    public static final long FROM_SPARK_CONF = -1;

    public static final long DEFAULT_FALLBACK_RATE = 1_000;

    private final long fallbackRate;
    private final long blockIntervalMillis;
    private final long restartDelayMillis;
    private final long maxRestartDelayMillis;

    private ReactiveReceiverOptions(long fallbackRate, long blockIntervalMillis, long restartDelayMillis,
                                    long maxRestartDelayMillis) {
        if (fallbackRate <= 0 || fallbackRate == Long.MAX_VALUE) {
            throw new IllegalArgumentException("fallbackRate must be a finite rate > 0 records/s: " + fallbackRate);
        }
        if (blockIntervalMillis == 0 || blockIntervalMillis < FROM_SPARK_CONF) {
            throw new IllegalArgumentException("blockIntervalMillis must be > 0 (or FROM_SPARK_CONF): "
                    + blockIntervalMillis);
        }
        if (restartDelayMillis < FROM_SPARK_CONF || maxRestartDelayMillis < 0) {
            throw new IllegalArgumentException("restart delays must be >= 0 (or FROM_SPARK_CONF)");
        }
        this.fallbackRate = fallbackRate;
        this.blockIntervalMillis = blockIntervalMillis;
        this.restartDelayMillis = restartDelayMillis;
        this.maxRestartDelayMillis = maxRestartDelayMillis;
    }

    public static ReactiveReceiverOptions defaults() {
        return new ReactiveReceiverOptions(DEFAULT_FALLBACK_RATE, FROM_SPARK_CONF, FROM_SPARK_CONF, 60_000);
    }

    public ReactiveReceiverOptions withFallbackRate(long recordsPerSecond) {
        return new ReactiveReceiverOptions(recordsPerSecond, blockIntervalMillis, restartDelayMillis,
                maxRestartDelayMillis);
    }

    public ReactiveReceiverOptions withBlockIntervalMillis(long millis) {
        return new ReactiveReceiverOptions(fallbackRate, millis, restartDelayMillis, maxRestartDelayMillis);
    }

    public ReactiveReceiverOptions withRestartDelayMillis(long millis, long maxMillis) {
        return new ReactiveReceiverOptions(fallbackRate, blockIntervalMillis, millis, maxMillis);
    }

    public long fallbackRate() {
        return fallbackRate;
    }

    public long blockIntervalMillis() {
        return blockIntervalMillis;
    }

    public long restartDelayMillis() {
        return restartDelayMillis;
    }

    public long maxRestartDelayMillis() {
        return maxRestartDelayMillis;
    }

    @Override
    public String toString() {
        return "ReactiveReceiverOptions[fallbackRate=" + fallbackRate + "/s, blockInterval="
                + (blockIntervalMillis == FROM_SPARK_CONF ? "spark" : blockIntervalMillis + "ms") + ", restartDelay="
                + (restartDelayMillis == FROM_SPARK_CONF ? "spark" : restartDelayMillis + "ms") + ", maxRestartDelay="
                + maxRestartDelayMillis + "ms]";
    }
}
