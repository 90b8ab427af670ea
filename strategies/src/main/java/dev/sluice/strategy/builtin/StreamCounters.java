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

    @Override
    public String toString() {
        return "offered=" + offered() + " admitted=" + admitted() + " dropped=" + dropped()
                + " throttledNanos=" + throttledNanos() + " strategyErrors=" + strategyErrors();
    }
}
