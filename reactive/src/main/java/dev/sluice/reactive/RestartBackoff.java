package dev.sluice.reactive;

/**
 * The delay before a failed subscription is retried: Spark's restart delay for the first failure, doubled for each
 * further failure in a row, capped. A session that received records before failing resets the count, so a source
 * that fails once a day is retried promptly and one that refuses every connection is not hammered.
 */
public final class RestartBackoff {

    private final long baseMillis;
    private final long maxMillis;
    private int consecutiveFailures;

    public RestartBackoff(long baseMillis, long maxMillis) {
        if (baseMillis < 0 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("need 0 <= base <= max, got base " + baseMillis + " max " + maxMillis);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
    }

    /** The delay for this failure; {@code madeProgress} is whether the failed session received any record. */
    public synchronized long nextDelayMillis(boolean madeProgress) {
        consecutiveFailures = madeProgress ? 1 : Math.min(consecutiveFailures + 1, 62);
        long delay = baseMillis;
        for (int i = 1; i < consecutiveFailures && delay < maxMillis; i++) {
            delay = Math.max(1, delay) * 2;
        }
        return Math.min(delay, maxMillis);
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }
}
