package dev.sluice.strategy.builtin;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to one stream's records. The gate counts every offered record exactly once, as admitted or as dropped,
 * in one atomic add; {@code offered} is not a counter of its own but {@code admitted + dropped}, so
 * {@code offered == admitted + dropped} holds exactly in every {@link #snapshot()}, even while records are being stored,
 * and each of the three readings only ever grows.
 *
 * <p>A record is counted once its fate is decided (after a throttle wait, if any), as it always was. {@code admitted}
 * and {@code dropped} are {@code AtomicLong}s rather than {@code LongAdder}s: the value an add returns tells the gate when
 * to look at the clock for the offered-rate window (once per {@link RateBudget#OFFERS_PER_CLOCK_READ} records), so one
 * atomic does the counting and the rate estimation together. Uncongested, a record touches {@code admitted} only.
 */
public final class StreamCounters {

    final AtomicLong admitted = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final LongAdder throttledNanos = new LongAdder();
    final LongAdder strategyErrors = new LongAdder();

    /** Records offered: {@code admitted() + dropped()}, read in that order. */
    public long offered() {
        long a = admitted.get();
        return a + dropped.get();
    }

    public long admitted() {
        return admitted.get();
    }

    public long dropped() {
        return dropped.get();
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
     * A reading of the counters. {@code offered} is computed from the {@code admitted} and {@code dropped} read here, so
     * {@code offered == admitted + dropped} exactly, whatever the storing threads are doing. Off the hot path
     * (reporting only).
     */
    public Snapshot snapshot() {
        long a = admitted.get();
        long d = dropped.get();
        return new Snapshot(a + d, a, d, throttledNanos.sum(), strategyErrors.sum());
    }

    /** A reading of {@link StreamCounters} in which {@code offered == admitted + dropped}: see {@link #snapshot()}. */
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
        Snapshot s = snapshot();
        return "offered=" + s.offered + " admitted=" + s.admitted + " dropped=" + s.dropped
                + " throttledNanos=" + s.throttledNanos + " strategyErrors=" + s.strategyErrors;
    }
}
