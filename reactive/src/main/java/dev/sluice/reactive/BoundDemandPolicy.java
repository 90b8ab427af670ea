package dev.sluice.reactive;

import java.util.function.LongSupplier;

/**
 * One interval's worth of a records-per-second bound: {@code bound * intervalMillis / 1000}, with the fraction of a
 * record carried to the next interval so that low bounds (say 2/s with 200 ms intervals) are still met on average
 * instead of rounding to zero.
 *
 * <p>The bound is read afresh at every interval, so demand follows bound changes within one interval. A bound of
 * {@link Long#MAX_VALUE} is Spark's "no limit"; requesting without limit is what this module exists to avoid, so the
 * configured fallback rate applies instead. A bound {@code <= 0} requests nothing.
 */
public final class BoundDemandPolicy implements DemandPolicy {

    /** The largest single-interval allowance: one block is buffered in a list before it is stored. */
    static final long MAX_ALLOWANCE = Integer.MAX_VALUE - 8;

    private final LongSupplier boundPerSecond;
    private final long fallbackPerSecond;
    private final long intervalMillis;
    private long carryMilliRecords;

    public BoundDemandPolicy(LongSupplier boundPerSecond, long fallbackPerSecond, long intervalMillis) {
        if (fallbackPerSecond <= 0 || fallbackPerSecond == Long.MAX_VALUE) {
            throw new IllegalArgumentException("fallback rate must be a finite rate > 0 records/s, got "
                    + fallbackPerSecond);
        }
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("interval must be > 0 ms, got " + intervalMillis);
        }
        this.boundPerSecond = boundPerSecond;
        this.fallbackPerSecond = fallbackPerSecond;
        this.intervalMillis = intervalMillis;
    }

    /** The bound in force now, in records/s, after applying the fallback for "unlimited". */
    public long effectiveBound() {
        long bound = boundPerSecond.getAsLong();
        if (bound == Long.MAX_VALUE) {
            return fallbackPerSecond;
        }
        return Math.max(0L, bound);
    }

    @Override
    public synchronized long allowance() {
        long bound = effectiveBound();
        if (bound == 0) {
            carryMilliRecords = 0;
            return 0;
        }
        // bound * interval / 1000 without overflow: whole thousands first, then the remainder plus the carry.
        long wholeThousands = bound / 1000;
        if (wholeThousands > MAX_ALLOWANCE / intervalMillis) {
            carryMilliRecords = 0;
            return MAX_ALLOWANCE;
        }
        long milli = (bound % 1000) * intervalMillis + carryMilliRecords;
        long allowance = wholeThousands * intervalMillis + milli / 1000;
        carryMilliRecords = milli % 1000;
        return Math.min(allowance, MAX_ALLOWANCE);
    }

    public long intervalMillis() {
        return intervalMillis;
    }
}
