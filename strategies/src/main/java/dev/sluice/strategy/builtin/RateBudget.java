package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream's {@link Budget}: a GCRA (generic cell rate algorithm) over virtual time.
 *
 * <p>State is one {@link AtomicLong}, the theoretical arrival time ({@code tat}): the instant at which every permit
 * granted so far would have been paid for at the bound. A grant of {@code n} permits moves it to
 * {@code max(tat, now) + n × T} ({@code T = 1e9 / bound} nanoseconds per record) and is allowed only while the result stays
 * within {@code now + L}, {@code L = max(burstNanos, T)}. Hence, with the precise clock alone, over any window of length
 * {@code w} at most {@code bound × w + perInterval()} permits are granted, where
 * {@code perInterval() = max(1, floor(bound × burst))} is the burst: one block interval's worth of records (at least one
 * record, so a bound below one record per block interval still admits something).
 *
 * <p><b>Single permits without a clock read.</b> {@code System.nanoTime()} costs about as much as the rest of the store
 * path together, so {@code tryAcquire(1)} first decides against a <i>coarse now</i>: the latest clock value this budget
 * has read anyway (on every precise decision, every {@link #OFFERS_PER_CLOCK_READ}th offer counted, every wait), kept
 * as a monotone maximum. The fast path moves {@code tat} to
 * {@code tat' = max(tat, coarseNow) + ceil(T)} with one CAS if {@code tat' - coarseNow <= min(L, K × ceil(T))}; otherwise
 * it falls back to the precise path (read the clock, refresh the coarse now, decide exactly as above). Because the coarse
 * now is never later than the real now, the fast path only grants what the precise path would also grant, and the
 * invariant {@code tat <= now + L} holds after every grant. What a stale coarse now costs is the time between it and the
 * real now: a fast grant may leave {@code tat} that much lower than a precise one, so permits granted against a coarse
 * now older than a window can go uncharged against that window. The second condition caps them: each coarse reading
 * backs at most {@code K} fast grants ({@code tat'} rises by at least {@code ceil(T)} per grant and stays within
 * {@code K × ceil(T)} of it). Hence, at a constant bound, over any window of length {@code w}:
 *
 * <pre>granted &lt;= bound × w + perInterval() + K × m,   K = fastPermits() = min(64, perInterval() / 16)</pre>
 *
 * where {@code m} is the number of coarse readings taken before the window and used in it: 1 (the coarse now current
 * at the window's start), more only when a refresh read before the window by another thread lands after its start.
 * {@code K} is at most 1/16 of the burst, and 0 (no fast path, the exact GCRA) for bursts below 16 records. The fast
 * path reads no clock, so it is also what bounds the time between two clock reads while the stream runs well below the
 * bound: a precise decision at least every {@code K + 1} single grants. Requests for more than one permit, and the
 * waiting in {@link #acquire} (its sleeps, the time it reports), use the precise clock.
 *
 * <p>Why GCRA rather than a token bucket with a refill thread: a single CAS per grant, no timer, no allocation, and the
 * bound can change at any time without losing the state.
 *
 * <p>Unbounded ({@link #setBound} with a value &lt;= 0, NaN or +infinity): every request is granted at once and the state
 * is not touched, so the uncongested path is one volatile read.
 *
 * <p>Offered-rate estimate ({@link #offeredRate()}): counts offers in windows of one block interval. The offers are the
 * records counted by the {@link StreamCounters} of the {@link StreamGate} that owns this budget (so the store path pays
 * one atomic for counting and rate estimation together) plus those reported through {@link #noteOffered}.
 */
public final class RateBudget implements Budget {

    /** A waiting thread re-checks the bound at least this often, so a raised bound releases it quickly. */
    static final long MAX_SLICE_NANOS = 10_000_000L;
    /**
     * A waiting thread sleeps until at least this much time's worth of permits is available (within the burst), not
     * just the one it needs: a throttled {@code store(single)} then wakes ~200 times a second instead of once per record
     * (measured on the test bed at 5x overload: 7 000 interrupts and 16 000 context switches a second on 2 cores, 5-6 %
     * system time, and every record processed ~15 % slower than under drop). The next records take the permits that
     * accumulated without sleeping, so the bound is unchanged; a record waits at most this much longer.
     */
    static final long MIN_WAIT_NANOS = 5_000_000L;
    /** Bounds of the window over which {@link #offeredRate()} counts offers: one block interval, within these. */
    static final long MIN_OFFER_WINDOW_NANOS = 50_000_000L;
    static final long MAX_OFFER_WINDOW_NANOS = 1_000_000_000L;
    /** Keeps {@code T} finite and sums of costs far from overflow for absurdly small bounds (one record per ~11 days). */
    private static final double MAX_NANOS_PER_PERMIT = 1e15;
    /** At most this many single grants per coarse clock reading ({@code K} in the class comment)... */
    static final int MAX_FAST_PERMITS = 64;
    /** ...and at most this fraction of the burst, so the excess they allow stays small against it. */
    static final int FAST_PERMITS_BURST_DIVISOR = 16;

    /**
     * What the hot path needs to know about the bound, read with one volatile read so it is always consistent: a bound
     * change publishes a new instance (off the hot path).
     */
    private static final class Pricing {
        static final Pricing UNBOUNDED = new Pricing(0, 0, 0, 0);

        /** Nanoseconds per record; 0 when unbounded. */
        final double nanosPerPermit;
        /** What one permit costs: {@code ceil(T)}, as the precise path charges a single permit. */
        final long oneCost;
        /** {@code L}. */
        final long limitNanos;
        /** The fast path grants only while {@code tat' - coarseNow <= fastRoom}: {@code min(L, K × oneCost)}. */
        final long fastRoom;

        Pricing(double nanosPerPermit, long oneCost, long limitNanos, long fastRoom) {
            this.nanosPerPermit = nanosPerPermit;
            this.oneCost = oneCost;
            this.limitNanos = limitNanos;
            this.fastRoom = fastRoom;
        }
    }

    private final Clock clock;
    private final long burstNanos;

    /** Theoretical arrival time, nanoseconds on {@link #clock}. */
    private final AtomicLong tat = new AtomicLong(Long.MIN_VALUE);
    /**
     * The latest value read from {@link #clock} (a monotone maximum: never later than the real now). Refreshed whenever
     * the clock is read anyway; the fast path of {@link #tryAcquire} decides against it.
     */
    private final AtomicLong coarseNow;
    /** The bound's price; {@link Pricing#UNBOUNDED} when unbounded. The only field the hot path reads to decide that. */
    private volatile Pricing pricing = Pricing.UNBOUNDED;
    private volatile double bound = Double.POSITIVE_INFINITY;
    /** The last bounded {@code nanosPerPermit}: the price of the permits {@code tat} is ahead by. */
    private volatile double pricedNanosPerPermit;

    private final long offerWindowNanos;
    private final AtomicLong windowStart;
    /** Offers reported through {@link #noteOffered} (callers without a gate). */
    private final AtomicLong noted = new AtomicLong();
    /** {@link #offeredTotal()} when the current window started. */
    private final AtomicLong windowBase = new AtomicLong();
    private volatile long lastWindowCount;
    private volatile long lastWindowNanos;

    private volatile long maxWaitNanos = Long.MAX_VALUE;
    private volatile boolean closed;
    private volatile Runnable onExpiry;
    private final AtomicLong expiredWaits = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong released = new AtomicLong();

    /** The owning gate's counters: its offers feed the offered-rate window, and waits are accounted there. */
    private volatile StreamCounters counters;

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
        long now = clock.nanoTime();
        this.windowStart = new AtomicLong(now);
        this.coarseNow = new AtomicLong(now);
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
        pricing = unbounded ? Pricing.UNBOUNDED : price(newT);
    }

    /**
     * Takes over what {@code earlier}, the budget this one replaces for the same stream (a receiver's restart), has
     * granted and not yet paid for: its virtual time, when later than this budget's. Without it every restart starts
     * with a full burst, and a receiver restarting itself several times a second stores a burst per restart over the
     * bound (a block interval's worth each time: at 4 restarts a second, 80 % over it). Never grants anything: it only
     * moves the virtual time later. Both budgets must read the same clock.
     */
    public void continueFrom(RateBudget earlier) {
        double earlierT = earlier.pricedNanosPerPermit;
        if (earlierT > 0 && !(pricedNanosPerPermit > 0)) {
            pricedNanosPerPermit = earlierT;
        }
        tat.accumulateAndGet(earlier.tat.get(), Math::max);
    }

    private Pricing price(double t) {
        long oneCost = (long) Math.ceil(t);
        long limit = limitNanos(t);
        long fastPermits = Math.min(MAX_FAST_PERMITS, perInterval(t) / FAST_PERMITS_BURST_DIVISOR);
        // 0 fast permits: fastRoom 0 < oneCost, so the fast path never grants (the exact GCRA).
        return new Pricing(t, oneCost, limit, Math.min(limit, fastPermits * oneCost));
    }

    private void repriceDebt(double oldT, double newT) {
        long now = now();
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
        return pricing.nanosPerPermit > 0;
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
        double t = pricing.nanosPerPermit;
        return t > 0 ? perInterval(t) : Long.MAX_VALUE;
    }

    /**
     * {@code K}: how many single grants one coarse clock reading can back (0: no fast path); see the class comment.
     * 0 when unbounded (nothing is charged then).
     */
    public long fastPermits() {
        Pricing p = pricing;
        return p.oneCost > 0 ? p.fastRoom / p.oneCost : 0;
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
        Pricing p = pricing;
        if (p.nanosPerPermit <= 0) {
            return permits;
        }
        if (permits == 1) {
            // Fast path: against the coarse now, no clock read. coarse <= real now, so this grants only what the precise
            // path would grant too; a refusal here is not final, the precise path decides. A lost CAS retries here:
            // another thread advanced tat, so the loop ends with a grant or a refusal.
            for (;;) {
                long coarse = coarseNow.get();
                long cur = tat.get();
                long next = Math.max(cur, coarse) + p.oneCost;
                if (next - coarse > p.fastRoom) {
                    break;
                }
                if (tat.compareAndSet(cur, next)) {
                    return 1;
                }
            }
        }
        return tryAcquirePrecisely(permits, p);
    }

    private int tryAcquirePrecisely(int permits, Pricing p) {
        double t = p.nanosPerPermit;
        long now = now();
        long limit = now + p.limitNanos;
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

    /** Reads the clock and refreshes the coarse now with it. */
    private long now() {
        long now = clock.nanoTime();
        sawTime(now);
        return now;
    }

    /** Raises the coarse now to {@code now} (a monotone maximum: a late refresh never moves it back). */
    private void sawTime(long now) {
        long seen = coarseNow.get();
        while (now > seen && !coarseNow.compareAndSet(seen, now)) {
            seen = coarseNow.get();
        }
    }

    /**
     * Takes all {@code permits}, taking what is available and sleeping in slices of at most 10 ms in between; a bulk
     * request therefore waits about {@code (permits - available) / bound}. Each sleep lasts until at least
     * {@link #MIN_WAIT_NANOS} worth of permits is available, so a thread taking one permit at a time wakes once per
     * that many permits, not once per permit. Returns at once when the bound is removed meanwhile. Interrupted: throws,
     * and the permits not yet taken are not taken (the caller decides what to do with the record; the gate admits it).
     *
     * <p>Two things end a wait early, and both grant the permits still missing without charging them (no record is
     * lost; the stream goes over its bound by those permits, counted): the wait reaching the deadline
     * ({@link #setMaxWaitNanos}, {@link #expiredWaits()}, {@link #overduePermits()}), and {@link #close()} (the receiver
     * stopped: {@link #releasedPermits()}). A slice never sleeps past the deadline.
     */
    @Override
    public long acquire(int permits) throws InterruptedException {
        if (permits <= 0) {
            return 0;
        }
        int remaining = permits - tryAcquire(permits);
        if (remaining == 0) {
            return 0; // uncongested: no further clock read (none at all when tryAcquire took the fast path)
        }
        long start = now();
        long waited;
        try {
            long maxWait = maxWaitNanos;
            while (remaining > 0) {
                double t = pricing.nanosPerPermit;
                if (t <= 0) {
                    break;
                }
                if (closed) {
                    released.addAndGet(remaining);
                    break;
                }
                long left = maxWait - (now() - start);
                if (left <= 0) {
                    expired(remaining);
                    break;
                }
                long wanted = Math.max(remaining, (long) Math.ceil(MIN_WAIT_NANOS / t));
                long wait = nanosUntilAvailable((int) Math.min(wanted, perInterval(t)), t);
                if (wait > 0) {
                    clock.sleepNanos(Math.min(Math.min(wait, MAX_SLICE_NANOS), left));
                }
                remaining -= tryAcquire(remaining);
            }
        } finally {
            waited = now() - start;
            StreamCounters counters = this.counters;
            if (counters != null && waited > 0) {
                counters.throttledNanos.add(waited);
            }
        }
        return waited;
    }

    private void expired(int unpaid) {
        expiredWaits.incrementAndGet();
        overdue.addAndGet(unpaid);
        Runnable listener = onExpiry;
        if (listener != null) {
            try {
                listener.run();
            } catch (RuntimeException ignored) {
                // reporting must not turn an admitted record into a failed store
            }
        }
    }

    /**
     * The longest any one {@link #acquire} waits, nanoseconds ({@code sluice.throttle.maxWait}); {@link Long#MAX_VALUE}
     * (the default) for no deadline. A value &lt;= 0 ends every wait at once.
     */
    public void setMaxWaitNanos(long nanos) {
        maxWaitNanos = nanos;
    }

    public long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** Called (on the waiting thread, after the wait) each time a wait reaches the deadline. */
    public void onExpiry(Runnable listener) {
        onExpiry = listener;
    }

    /**
     * The stream stopped: every wait in progress ends within one slice and later ones do not start; what they still
     * needed is granted uncharged and counted in {@link #releasedPermits()}. Non-waiting grants are unaffected.
     */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Waits that reached the deadline. */
    public long expiredWaits() {
        return expiredWaits.get();
    }

    /** Permits granted without payment because their wait reached the deadline: records stored over the bound. */
    public long overduePermits() {
        return overdue.get();
    }

    /** Permits granted without payment because the budget was closed while (or before) waiting for them. */
    public long releasedPermits() {
        return released.get();
    }

    /** Nanoseconds from now until {@code k} permits could be granted at {@code t} ns per permit (<= 0: now). */
    private long nanosUntilAvailable(int k, double t) {
        long now = now();
        long base = Math.max(tat.get(), now);
        return base + (long) Math.ceil(k * t) - (now + limitNanos(t));
    }

    /**
     * Offers between two looks at the clock for the offered-rate window: a power of two. {@code System.nanoTime()} costs
     * about as much as the rest of the store path together (~20 ns), so the store path reads it once per this many
     * records instead of once per record; {@link #offeredRate()} also rotates the window when it reads the clock, so
     * the estimate a sampler sees is as fresh as before. Each such look also refreshes the coarse now.
     */
    static final int OFFERS_PER_CLOCK_READ = 64;

    /**
     * Reports {@code n} offered records that no {@link StreamGate} counts (a gate counts its records in its
     * {@link StreamCounters}, which this budget reads). Lock-free; no allocation; reads the clock only when the count
     * crosses a multiple of {@link #OFFERS_PER_CLOCK_READ}.
     */
    public void noteOffered(int n) {
        if (n <= 0) {
            return;
        }
        long count = noted.addAndGet(n);
        if (crossedClockRead(count, n)) {
            tick();
        }
    }

    /** Whether a counter that just rose by {@code n} to {@code count} crossed a multiple of the clock-read period. */
    static boolean crossedClockRead(long count, long n) {
        return (count - n) / OFFERS_PER_CLOCK_READ != count / OFFERS_PER_CLOCK_READ;
    }

    /** The periodic look at the clock: refreshes the coarse now and rotates the offered-rate window if it is due. */
    void tick() {
        rotateIfDue(now());
    }

    /** Every offer so far: those the attached counters counted plus those noted. Monotone. */
    private long offeredTotal() {
        StreamCounters c = counters;
        return noted.get() + (c == null ? 0 : c.offered());
    }

    private void rotateIfDue(long now) {
        long start = windowStart.get();
        long elapsed = now - start;
        if (elapsed >= offerWindowNanos && windowStart.compareAndSet(start, now)) {
            // Offers counted between the CAS and here land in the next window: a small, harmless error.
            long total = offeredTotal();
            long count = total - windowBase.getAndSet(total);
            lastWindowNanos = elapsed;
            lastWindowCount = Math.max(0, count);
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
        // Not now(): the sampler calls this per record, and the fast path does not need this reading (a CAS saved).
        long now = clock.nanoTime();
        rotateIfDue(now);
        long elapsed = now - windowStart.get();
        long current = Math.max(0, offeredTotal() - windowBase.get()); // < 0 only in a race with a rotation
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

    /**
     * Called by the {@link StreamGate} that owns this budget (and again by any gate that replaces it, with the same
     * counters): its counters feed the offered-rate window, and waits are added to their {@code throttledNanos}.
     * Attaching other counters keeps the current window's count continuous.
     */
    synchronized void attach(StreamCounters newCounters) {
        if (newCounters == counters) {
            return;
        }
        long before = offeredTotal();
        counters = newCounters;
        windowBase.addAndGet(offeredTotal() - before);
    }

    @Override
    public String toString() {
        return "RateBudget[bound=" + bound + "/s, perInterval=" + perInterval() + ", burstNanos=" + burstNanos + "]";
    }
}
