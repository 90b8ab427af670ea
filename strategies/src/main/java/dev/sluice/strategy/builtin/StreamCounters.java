package dev.sluice.strategy.builtin;

import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to one stream's records. {@code LongAdder}s because several receiver threads may store into one stream
 * and the counters sit on the hot path. The gate increments offered together with admitted or dropped, so once the
 * storing threads are quiet, {@code offered == admitted + dropped}.
 */
public final class StreamCounters {

    final LongAdder offered = new LongAdder();
    final LongAdder admitted = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder throttledNanos = new LongAdder();
    final LongAdder strategyErrors = new LongAdder();

    public long offered() {
        return offered.sum();
    }

    public long admitted() {
        return admitted.sum();
    }

    public long dropped() {
        return dropped.sum();
    }

    /** Total time storing threads spent waiting for the budget, nanoseconds. */
    public long throttledNanos() {
        return throttledNanos.sum();
    }

    /** Exceptions thrown by the stream's (user) strategy, each contained by the gate. */
    public long strategyErrors() {
        return strategyErrors.sum();
    }

    /**
     * The counters read in an order that keeps {@code offered >= admitted + dropped} even while records are being stored:
     * the gate adds to offered before it adds to admitted or dropped, so admitted and dropped are read first and offered
     * last. Off the hot path (reporting only).
     */
    public Snapshot snapshot() {
        long d = dropped.sum();
        long a = admitted.sum();
        long o = offered.sum();
        return new Snapshot(o, a, d, throttledNanos.sum(), strategyErrors.sum());
    }

    /** A consistent-enough reading of {@link StreamCounters}: see {@link #snapshot()}. */
    public static final class Snapshot {
        public final long offered;
        public final long admitted;
        public final long dropped;
        public final long throttledNanos;
        public final long strategyErrors;

        Snapshot(long offered, long admitted, long dropped, long throttledNanos, long strategyErrors) {
            this.offered = offered;
            this.admitted = admitted;
            this.dropped = dropped;
            this.throttledNanos = throttledNanos;
            this.strategyErrors = strategyErrors;
        }
    }

    @Override
    public String toString() {
        return "offered=" + offered() + " admitted=" + admitted() + " dropped=" + dropped()
                + " throttledNanos=" + throttledNanos() + " strategyErrors=" + strategyErrors();
    }
}
