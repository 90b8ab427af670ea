package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where one stream's records meet its strategy and budget. A store goes through three steps, each counted where it
 * happens (see {@link StreamCounters}): {@link #offer} at the store's entry, a decision ({@link #decideOne},
 * {@link #decideChunk}, {@link #awaitPermits}) that counts nothing, and once the records' fate is final
 * {@link #commit} (admitted, dropped) and {@link #stored} (what was handed to Spark). The runtime calls them in that
 * order; {@link #admitOne}, {@link #admitChunk} and {@link #admitWeighted} do all of them for callers whose decision is
 * final at once (a simulated stream, {@code store(single)}).
 *
 * <p>Containment: anything a strategy throws (except {@link VirtualMachineError}, which the JVM needs to see, and
 * {@link InterruptedException}) is counted in {@code strategyErrors}, reported once to the
 * {@link StrategyFailureListener}, and the stream switches to {@link ThrottleStrategy} for good; the record or chunk in
 * flight is then throttled, never lost. Interrupted while waiting: the interrupt flag is restored and the record is
 * admitted, because throttle never loses a record and the thread is most likely shutting the receiver down. A call into
 * a user's strategy that runs past {@link #setStrategyDeadlineNanos the deadline} is treated as a failure too
 * ({@link #checkStrategyDeadline}, called by a watcher thread; {@link StrategyCallWatch}).
 *
 * <p>Uncongested path of a single record: one atomic add to {@code offered}, which once every
 * {@link RateBudget#OFFERS_PER_CLOCK_READ} records has the budget look at the clock (offered-rate window, coarse now);
 * the strategy (for throttle and drop: unbounded, one volatile read; bounded, the budget's fast path, three volatile
 * reads and a CAS, no clock read); then one uncontended add each to {@code admitted} and {@code stored}. No
 * allocation, no lock, no logging.
 */
public final class StreamGate {

    private static final CongestionStrategy FALLBACK = new ThrottleStrategy();

    private final int streamId;
    private final RateBudget budget;
    private final StreamCounters counters;
    private final StrategyFailureListener onFailure;
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private volatile CongestionStrategy active;
    /** The user's strategy, whose calls are watched for the deadline; null for a built-in. */
    private final CongestionStrategy watched;
    private final StrategyCallWatch watch;
    private volatile long strategyDeadlineNanos = Long.MAX_VALUE;

    public StreamGate(int streamId, CongestionStrategy strategy, RateBudget budget, StreamCounters counters,
                      StrategyFailureListener onFailure) {
        if (strategy == null || budget == null || counters == null) {
            throw new IllegalArgumentException("strategy, budget and counters are required");
        }
        this.streamId = streamId;
        this.active = strategy;
        this.watched = Strategies.isSluices(strategy) ? null : strategy;
        this.watch = watched == null ? null : new StrategyCallWatch();
        this.budget = budget;
        this.counters = counters;
        this.onFailure = onFailure == null ? StrategyFailureListener.IGNORE : onFailure;
        budget.attach(counters);
    }

    /** Counts {@code n} records entering a store; looks at the clock when the count crosses a multiple of 64. */
    public void offer(int n) {
        if (n > 0 && RateBudget.crossedClockRead(counters.offered.addAndGet(n), n)) {
            budget.tick();
        }
    }

    /** The fate of {@code admitted} + {@code dropped} offered records is final. */
    public void commit(long admitted, long dropped) {
        if (admitted > 0) {
            counters.admitted.add(admitted);
        }
        if (dropped > 0) {
            counters.dropped.add(dropped);
        }
    }

    /** {@code n} records were handed to Spark (counted by the code that hands them over). */
    public void stored(long n) {
        if (n > 0) {
            counters.stored.add(n);
        }
    }

    /**
     * One record offered through {@code store(T)} (or a simulated stream), whose fate is final at the decision: offers,
     * decides, commits, and when admitted counts it stored (the caller lets Spark's call proceed).
     */
    public boolean admitOne(Object record) {
        offer(1);
        boolean admitted = decideOne(record);
        if (admitted) {
            counters.admitted.increment();
            counters.stored.increment();
        } else {
            counters.dropped.increment();
        }
        return admitted;
    }

    /** The strategy's decision for one record (throttle waits here); counts nothing. */
    public boolean decideOne(Object record) {
        CongestionStrategy strategy = active;
        if (strategy == watched) {
            return decideOneWatched(record, strategy);
        }
        try {
            return strategy.admit(record, budget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            failed(strategy, t);
            throttle(1);
            return true;
        }
    }

    /** {@link #decideOne} for the user's strategy: the call is watched for the deadline. */
    private boolean decideOneWatched(Object record, CongestionStrategy strategy) {
        boolean admitted = true;
        Throwable failure = null;
        watch.enter();
        try {
            admitted = strategy.admit(record, budget);
        } catch (Throwable t) {
            failure = t;
        }
        if (watch.exit()) {
            // Past the deadline: the watcher counted it and switched to throttle; the outcome is not trusted.
            throttle(1);
            return true;
        }
        if (failure == null) {
            return admitted;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return true;
        }
        if (failure instanceof VirtualMachineError) {
            throw (VirtualMachineError) failure;
        }
        failed(strategy, failure);
        throttle(1);
        return true;
    }

    /**
     * A bulk store whose records are final once selected: offers, decides, commits the selection and counts the kept
     * records stored. {@code chunk} must be a {@link ChunkSelection}.
     */
    public void admitChunk(Chunk chunk) {
        ChunkSelection selection = selection(chunk);
        offer(selection.size());
        decideChunk(selection);
        int kept = selection.keptCount();
        commit(kept, selection.size() - kept);
        stored(kept);
    }

    /**
     * The strategy's selection among a bulk store's records; counts nothing. {@code chunk} must be a
     * {@link ChunkSelection}; afterwards {@link ChunkSelection#allKept()} / {@link ChunkSelection#nextKept(int)} tell
     * the runtime what to store.
     */
    public void decideChunk(Chunk chunk) {
        ChunkSelection selection = selection(chunk);
        int size = selection.size();
        CongestionStrategy strategy = active;
        if (strategy == watched) {
            decideChunkWatched(selection, strategy);
            return;
        }
        try {
            strategy.admitBulk(selection, budget);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            selection.keepAll();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            failed(strategy, t);
            // Permits the failed strategy may already have taken are charged again: over-throttling once is safe.
            throttle(size);
            selection.keepAll();
        }
    }

    /** {@link #decideChunk} for the user's strategy: the call is watched for the deadline. */
    private void decideChunkWatched(ChunkSelection selection, CongestionStrategy strategy) {
        Throwable failure = null;
        watch.enter();
        try {
            strategy.admitBulk(selection, budget);
        } catch (Throwable t) {
            failure = t;
        }
        if (watch.exit()) {
            throttle(selection.size());
            selection.keepAll();
            return;
        }
        if (failure == null) {
            return;
        }
        if (failure instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            selection.keepAll();
            return;
        }
        if (failure instanceof VirtualMachineError) {
            throw (VirtualMachineError) failure;
        }
        failed(strategy, failure);
        throttle(selection.size());
        selection.keepAll();
    }

    /**
     * The longest a call into the user's strategy may run with no call finishing ({@code sluice.userStrategy.deadline});
     * {@link Long#MAX_VALUE}: no deadline. Built-in strategies are not watched: throttle's waits end at
     * {@code sluice.throttle.maxWait}, drop and sample never wait.
     */
    public void setStrategyDeadlineNanos(long nanos) {
        strategyDeadlineNanos = nanos > 0 ? nanos : Long.MAX_VALUE;
    }

    /** Whether the gate serves a user's strategy, whose calls {@link #checkStrategyDeadline} bounds. */
    public boolean isStrategyWatched() {
        return watched != null;
    }

    /**
     * The deadline watcher's check, {@code nowNanos} from its own clock: when the user's strategy has been inside a
     * call with none finishing for the deadline, counts a strategy error, switches the stream to throttle for good,
     * reports the failure once (with the stack of the thread found inside the strategy) and interrupts that thread,
     * whose call is then throttled like a failed one. Returns whether it did so. No-op for built-ins.
     */
    public boolean checkStrategyDeadline(long nowNanos) {
        long deadline = strategyDeadlineNanos;
        CongestionStrategy strategy = watched;
        if (strategy == null || deadline == Long.MAX_VALUE || active != strategy
                || !watch.overdue(nowNanos, deadline)) {
            return false;
        }
        // The stack is taken before the interrupt, and the stream leaves the strategy before it: the interrupted
        // thread's next record must not go back into the strategy that held it.
        StrategyDeadlineExceeded late = new StrategyDeadlineExceeded(Strategies.nameOf(strategy), deadline,
                watch.caller());
        counters.strategyErrors.increment();
        active = FALLBACK;
        watch.expire();
        report(strategy, late);
        return true;
    }

    private static ChunkSelection selection(Chunk chunk) {
        if (!(chunk instanceof ChunkSelection)) {
            throw new IllegalArgumentException("the gate needs a ChunkSelection, got "
                    + (chunk == null ? "null" : chunk.getClass().getName()));
        }
        return (ChunkSelection) chunk;
    }

    /**
     * The throttle-only path for opaque {@code store(ByteBuffer)}: offers, waits for {@code weight} permits (the
     * runtime's estimate of the records in the buffer) and counts {@code weight} records admitted and stored. The
     * strategy is not consulted: bytes are never cut.
     */
    public void admitWeighted(int weight) {
        if (weight <= 0) {
            return;
        }
        offer(weight);
        awaitPermits(weight);
        commit(weight, 0);
        stored(weight);
    }

    /** Waits for {@code permits} permits without consulting the strategy (bytes, receiver-paced records); counts nothing. */
    public void awaitPermits(int permits) {
        if (permits > 0) {
            throttle(permits);
        }
    }

    private void throttle(int permits) {
        try {
            budget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void failed(CongestionStrategy strategy, Throwable failure) {
        counters.strategyErrors.increment();
        active = FALLBACK;
        report(strategy, failure);
    }

    private void report(CongestionStrategy strategy, Throwable failure) {
        if (failureReported.compareAndSet(false, true)) {
            try {
                onFailure.onStrategyFailure(streamId, Strategies.nameOf(strategy), failure);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable ignored) {
                // A failing listener must not turn a contained failure into a lost record.
            }
        }
    }

    public int streamId() {
        return streamId;
    }

    /** The strategy in force: the configured one, or throttle after it failed. */
    public CongestionStrategy strategy() {
        return active;
    }

    /** Name of the strategy in force ({@code throttle} after a failure). */
    public String strategyName() {
        return Strategies.nameOf(active);
    }

    /** Whether the configured strategy failed and the stream now throttles. */
    public boolean fellBack() {
        return failureReported.get();
    }

    public RateBudget budget() {
        return budget;
    }

    public StreamCounters counters() {
        return counters;
    }
}
