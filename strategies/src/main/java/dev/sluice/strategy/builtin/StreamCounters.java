package dev.sluice.strategy.builtin;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened to one stream's records, counted at four independent points so that the identities between them can
 * fail:
 * <ul>
 *   <li>{@code offered}: at the entry of a store (the runtime counts a record as it arrives, before any decision; an
 *   iterator's element as it is pulled from the caller's iterator);</li>
 *   <li>{@code admitted} and {@code dropped}: once a record's fate is final (after a throttle wait, after the kept
 *   records of a bulk store were rebuilt, after a coalesced record reached Spark's BlockGenerator, when an iterator
 *   element is handed to Spark);</li>
 *   <li>{@code stored}: at the hand-over to Spark, from what is actually handed over (the length of the buffer Spark
 *   gets, each element Spark's consumption of a gate iterator takes, each {@code pushSingle} that returned).</li>
 * </ul>
 * With every store call finished, {@code offered = admitted + dropped} and {@code admitted = stored}. While stores are
 * in flight, a {@link #snapshot()} shows {@code offered >= admitted + dropped} and {@code admitted >= stored} (it reads
 * in the order opposite to the counting). A store call that ended with an exception of Spark or of the caller's
 * iterator leaves its unfinished records offered but neither admitted nor dropped: the gap is the records the caller
 * saw fail, not a discard of Sluice's.
 *
 * <p>{@code offered} is an {@code AtomicLong}: the value its add returns tells the gate when to look at the clock for
 * the offered-rate window (once per {@link RateBudget#OFFERS_PER_CLOCK_READ} records), so one atomic does the counting
 * and the rate estimation together. The others are {@code LongAdder}s (one uncontended CAS each).
 */
public final class StreamCounters {

    final AtomicLong offered = new AtomicLong();
    final LongAdder admitted = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder stored = new LongAdder();
    final LongAdder throttledNanos = new LongAdder();
    final LongAdder strategyErrors = new LongAdder();

    /** Records that entered a store call. */
    public long offered() {
        return offered.get();
    }

    /** Records whose final fate was to go to Spark. */
    public long admitted() {
        return admitted.sum();
    }

    /** Records the strategy discarded (final). */
    public long dropped() {
        return dropped.sum();
    }

    /** Records handed to Spark, counted from what was handed over. */
    public long stored() {
        return stored.sum();
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
     * A reading of the counters, read downstream first ({@code stored}, then {@code admitted} and {@code dropped}, then
     * {@code offered}), so that in-flight records can only make {@code offered >= admitted + dropped} and
     * {@code admitted >= stored}, never the reverse. The gap also holds the records that arrived while the reading ran,
     * which a reporting thread descheduled between two reads on a starved JVM stretches to a tenth of a second of input;
     * so the reading is repeated (at most {@link #SNAPSHOT_ATTEMPTS} times) until {@code offered} did not move during it.
     * Off the hot path (reporting only).
     */
    public Snapshot snapshot() {
        long s;
        long a;
        long d;
        long o;
        int attempt = 0;
        long before;
        do {
            before = offered.get();
            s = stored.sum();
            a = admitted.sum();
            d = dropped.sum();
            o = offered.get();
        } while (o != before && ++attempt < SNAPSHOT_ATTEMPTS);
        return new Snapshot(o, a, d, s, throttledNanos.sum(), strategyErrors.sum());
    }

    /** Readings tried for one snapshot; each is valid, a later one merely tighter. */
    static final int SNAPSHOT_ATTEMPTS = 4;

    /** A reading of {@link StreamCounters}: see {@link #snapshot()}. */
    public static final class Snapshot {
        public final long offered;
        public final long admitted;
        public final long dropped;
        public final long stored;
        public final long throttledNanos;
        public final long strategyErrors;

        Snapshot(long offered, long admitted, long dropped, long stored, long throttledNanos, long strategyErrors) {
            this.offered = offered;
            this.admitted = admitted;
            this.dropped = dropped;
            this.stored = stored;
            this.throttledNanos = throttledNanos;
            this.strategyErrors = strategyErrors;
        }

        /** Offered records whose fate is not final yet (in flight), or of store calls that failed: >= 0. */
        public long unsettled() {
            return offered - admitted - dropped;
        }
    }

    @Override
    public String toString() {
        Snapshot s = snapshot();
        return "offered=" + s.offered + " admitted=" + s.admitted + " dropped=" + s.dropped + " stored=" + s.stored
                + " throttledNanos=" + s.throttledNanos + " strategyErrors=" + s.strategyErrors;
    }
}
