package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream's {@link Budget}: a GCRA (generic cell rate algorithm) over virtual time.
 *
 * <p>State is one {@link AtomicLong}, the theoretical arrival time ({@code tat}): the instant at which every permit
 * granted so far would have been paid for at the bound. A grant of {@code n} permits moves it to
 * {@code max(tat, now) + n × T} ({@code T = 1e9 / bound} nanoseconds per record) and is allowed only while the result stays
 * within {@code now + L}, {@code L = max(burstNanos, T)}. Hence, over any window of length {@code w}, at most
 * {@code bound × w + perInterval()} permits are granted, where {@code perInterval() = max(1, floor(bound × burst))} is
 * the burst: one block interval's worth of records (at least one record, so a bound below one record per block interval
 * still admits something).
 *
 * <p>Why GCRA rather than a token bucket with a refill thread: a single CAS per grant, no timer, no allocation, and the
 * bound can change at any time without losing the state.
 *
 * <p>Unbounded ({@link #setBound} with a value &lt;= 0, NaN or +infinity): every request is granted at once and the state
 * is not touched, so the uncongested path is one volatile read.
 */
public final class RateBudget implements Budget {

    /** A waiting thread re-checks the bound at least this often, so a raised bound releases it quickly. */
    static final long MAX_SLICE_NANOS = 10_000_000L;
    /** Bounds of the window over which {@link #offeredRate()} counts offers: one block interval, within these. */
    static final long MIN_OFFER_WINDOW_NANOS = 50_000_000L;
    static final long MAX_OFFER_WINDOW_NANOS = 1_000_000_000L;
    /** Keeps {@code T} finite and sums of costs far from overflow for absurdly small bounds (one record per ~11 days). */
    private static final double MAX_NANOS_PER_PERMIT = 1e15;

    private final Clock clock;
    private final long burstNanos;

    /** Theoretical arrival time, nanoseconds on {@link #clock}. */
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);
    /** Nanoseconds per record; 0 when unbounded. The only field the hot path reads to decide "unbounded". */
    private volatile double nanosPerPermit;
    private volatile double bound = Double.POSITIVE_INFINITY;
    /** The last bounded {@code nanosPerPermit}: the price of the permits {@code tat} is ahead by. */
    private volatile double pricedNanosPerPermit;

    private final long offerWindowNanos;
    private final AtomicLong windowStart;
    private final AtomicLong windowCount = new AtomicLong();
    private volatile long lastWindowCount;
    private volatile long lastWindowNanos;

    /** Where waits are accounted; set by the {@link StreamGate} that owns this budget. */
    private volatile StreamCounters waitCounters;

    /**
     * @param clock      time source (virtual in tests)
     * @param burstNanos the burst, as time at the bound: Spark's block interval
     */
    public RateBudget(Clock clock, long burstNanos) {
        if (clock == null) {
            throw new IllegalArgumentException("clock is null");
        }
        if (burstNanos < 0) {
            throw new IllegalArgumentException("burstNanos must be >= 0, was " + burstNanos);
        }
        this.clock = clock;
        this.burstNanos = burstNanos;
        // One block interval: short enough to follow the second-to-second swings of a real receiver, which a 1 s window
        // lags (and a lagging estimate makes sample keep too few); long enough to hold many records.
        this.offerWindowNanos = Math.min(MAX_OFFER_WINDOW_NANOS, Math.max(MIN_OFFER_WINDOW_NANOS, burstNanos));
        this.windowStart = new AtomicLong(clock.nanoTime());
    }

    /**
     * Sets the bound in records/s; a value &lt;= 0, NaN or +infinity removes it. Every grant after the call is priced at
     * the new bound, so a lowered bound applies at once (the burst already taken is not charged again: the estimator
     * lowers the bound every batch, and re-charging would stall the stream each time). On a raise, permits granted but
     * not yet paid for (the part of {@code tat} ahead of now) are re-priced at the new bound, so a debt left by a low
     * bound does not hold back the higher one; threads waiting in {@link #acquire} see it within one slice (10 ms).
     */
    public void setBound(double recordsPerSecond) {
        boolean unbounded = !(recordsPerSecond > 0) || Double.isInfinite(recordsPerSecond);
        double newT = unbounded ? 0 : Math.min(1e9 / recordsPerSecond, MAX_NANOS_PER_PERMIT);
        if (!unbounded) {
            // Against the rate tat was last advanced at, even across an unbounded spell.
            double oldT = pricedNanosPerPermit;
            if (oldT > 0 && newT < oldT) {
                repriceDebt(oldT, newT);
            }
            pricedNanosPerPermit = newT;
        }
        bound = unbounded ? Double.POSITIVE_INFINITY : recordsPerSecond;
        nanosPerPermit = newT;
    }

    private void repriceDebt(double oldT, double newT) {
        long now = clock.nanoTime();
        for (;;) {
            long cur = tat.get();
            if (cur <= now) {
                return;
            }
            double permitsOwed = (cur - now) / oldT;
            long repriced = now + (long) Math.ceil(Math.min(permitsOwed * newT, 2 * MAX_NANOS_PER_PERMIT));
            if (tat.compareAndSet(cur, repriced)) {
                return;
            }
        }
    }

    public boolean isBounded() {
        return nanosPerPermit > 0;
    }

    @Override
    public double bound() {
        return bound;
    }

    /** The burst as time at the bound (the block interval), nanoseconds. */
    public long burstNanos() {
        return burstNanos;
    }

    @Override
    public long perInterval() {
        double t = nanosPerPermit;
        return t > 0 ? perInterval(t) : Long.MAX_VALUE;
    }

    private long perInterval(double t) {
        return Math.max(1L, (long) (limitNanos(t) / t));
    }

    private long limitNanos(double t) {
        return Math.max(burstNanos, (long) Math.ceil(t));
    }

    @Override
    public int tryAcquire(int permits) {
        if (permits <= 0) {
            return 0;
        }
        double t = nanosPerPermit;
        if (t <= 0) {
            return permits;
        }
        long now = clock.nanoTime();
        long limit = now + limitNanos(t);
        for (;;) {
            long cur = tat.get();
            long base = Math.max(cur, now);
            long room = limit - base;
            if (room < t) {
                return 0;
            }
            long granted = Math.min(permits, (long) (room / t));
            long cost = (long) Math.ceil(granted * t);
            while (cost > room && granted > 0) {
                granted--;
                cost = (long) Math.ceil(granted * t);
            }
            if (granted == 0) {
                return 0;
            }
            if (tat.compareAndSet(cur, base + cost)) {
                return (int) granted;
            }
        }
    }

    /**
     * Takes all {@code permits}, taking what is available and sleeping in slices of at most 10 ms in between; a bulk
     * request therefore waits about {@code (permits - available) / bound}. Returns at once when the bound is removed
     * meanwhile. Interrupted: throws, and the permits not yet taken are not taken (the caller decides what to do with
     * the record; the gate admits it).
     */
    @Override
    public long acquire(int permits) throws InterruptedException {
        if (permits <= 0) {
            return 0;
        }
        int remaining = permits - tryAcquire(permits);
        if (remaining == 0) {
            return 0; // uncongested: no second clock read
        }
        long start = clock.nanoTime();
        long waited;
        try {
            while (remaining > 0) {
                double t = nanosPerPermit;
                if (t <= 0) {
                    break;
                }
                long wait = nanosUntilAvailable((int) Math.min(remaining, perInterval(t)), t);
                if (wait > 0) {
                    clock.sleepNanos(Math.min(wait, MAX_SLICE_NANOS));
                }
                remaining -= tryAcquire(remaining);
            }
        } finally {
            waited = clock.nanoTime() - start;
            StreamCounters counters = waitCounters;
            if (counters != null && waited > 0) {
                counters.throttledNanos.add(waited);
            }
        }
        return waited;
    }

    /** Nanoseconds from now until {@code k} permits could be granted at {@code t} ns per permit (<= 0: now). */
    private long nanosUntilAvailable(int k, double t) {
        long now = clock.nanoTime();
        long base = Math.max(tat.get(), now);
        return base + (long) Math.ceil(k * t) - (now + limitNanos(t));
    }

    /**
     * Offers between two looks at the clock in {@link #noteOffered}: a power of two. {@code System.nanoTime()} costs
     * about as much as the rest of the store path together (~20 ns), so the store path reads it once per this many
     * records instead of once per record; {@link #offeredRate()} also rotates the window when it reads the clock, so
     * the estimate a sampler sees is as fresh as before.
     */
    static final int OFFERS_PER_CLOCK_READ = 64;

    /**
     * The gate reports every offered record here, before the strategy decides. Lock-free; no allocation; reads the clock
     * only when the count crosses a multiple of {@link #OFFERS_PER_CLOCK_READ}.
     */
    public void noteOffered(int n) {
        long count = windowCount.addAndGet(n);
        if ((count - n) / OFFERS_PER_CLOCK_READ != count / OFFERS_PER_CLOCK_READ) { // crossed a multiple
            rotateIfDue(clock.nanoTime());
        }
    }

    private void rotateIfDue(long now) {
        long start = windowStart.get();
        long elapsed = now - start;
        if (elapsed >= offerWindowNanos && windowStart.compareAndSet(start, now)) {
            // Offers counted between the CAS and getAndSet land in the next window: a small, harmless error.
            long count = windowCount.getAndSet(0);
            lastWindowNanos = elapsed;
            lastWindowCount = count;
        }
    }

    /**
     * Records/s offered recently: the count of the last completed window plus the current one, over their time (a
     * sliding average of one to two block intervals, unbiased for a steady stream and quick to follow the swings of
     * real receivers). After an idle spell the stale previous window is ignored once the current one has run an eighth of
     * a window. Before any completed window: 0 until then.
     */
    @Override
    public double offeredRate() {
        long now = clock.nanoTime();
        rotateIfDue(now);
        long elapsed = now - windowStart.get();
        long current = windowCount.get();
        long previousNanos = lastWindowNanos;
        long previousCount = lastWindowCount; // racy pair with previousNanos: off by one window's count at worst
        boolean currentUsable = elapsed >= offerWindowNanos / 8;
        if (previousNanos == 0 || previousNanos > 2 * offerWindowNanos) {
            return currentUsable ? current * 1e9 / elapsed : 0;
        }
        if (elapsed <= 0) {
            return previousCount * 1e9 / previousNanos;
        }
        return (previousCount + current) * 1e9 / (previousNanos + elapsed);
    }

    void countWaitsInto(StreamCounters counters) {
        this.waitCounters = counters;
    }

    @Override
    public String toString() {
        return "RateBudget[bound=" + bound + "/s, perInterval=" + perInterval() + ", burstNanos=" + burstNanos + "]";
    }
}
