package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where one stream's records meet its strategy and budget. The gate, not the strategy, counts: every offered record is
 * counted once, admitted or dropped, when its fate is decided, so {@code offered = admitted + dropped} whatever the
 * strategy does (exactly, in every {@link StreamCounters#snapshot()}).
 *
 * <p>Containment: anything a strategy throws (except {@link VirtualMachineError}, which the JVM needs to see, and
 * {@link InterruptedException}) is counted in {@code strategyErrors}, reported once to the
 * {@link StrategyFailureListener}, and the stream switches to {@link ThrottleStrategy} for good; the record or chunk in
 * flight is then throttled, never lost. Interrupted while waiting: the interrupt flag is restored and the record is
 * admitted, because throttle never loses a record and the thread is most likely shutting the receiver down.
 *
 * <p>Uncongested path of {@link #admitOne}: the strategy (for throttle and drop: unbounded, one volatile read; bounded,
 * the budget's fast path, three volatile reads and a CAS, no clock read), then one atomic add to {@code admitted}, which
 * counts the record and, once every {@link RateBudget#OFFERS_PER_CLOCK_READ} records, has the budget look at the clock
 * (offered-rate window, coarse now). A dropped record is counted in {@code dropped} instead, the same way. No
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

    public StreamGate(int streamId, CongestionStrategy strategy, RateBudget budget, StreamCounters counters,
                      StrategyFailureListener onFailure) {
        if (strategy == null || budget == null || counters == null) {
            throw new IllegalArgumentException("strategy, budget and counters are required");
        }
        this.streamId = streamId;
        this.active = strategy;
        this.budget = budget;
        this.counters = counters;
        this.onFailure = onFailure == null ? StrategyFailureListener.IGNORE : onFailure;
        budget.attach(counters);
    }

    /** One record ({@code store(T)} or one iterator element): true to store it, false to discard it. */
    public boolean admitOne(Object record) {
        boolean admitted = decide(record);
        long count = (admitted ? counters.admitted : counters.dropped).incrementAndGet();
        if ((count & (RateBudget.OFFERS_PER_CLOCK_READ - 1)) == 0) {
            budget.tick();
        }
        return admitted;
    }

    private boolean decide(Object record) {
        CongestionStrategy strategy = active;
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

    /**
     * A bulk store. {@code chunk} must be a {@link ChunkSelection} (the gate reads what was kept from it); afterwards
     * {@link ChunkSelection#allKept()} / {@link ChunkSelection#nextKept(int)} tell the runtime what to store.
     */
    public void admitChunk(Chunk chunk) {
        if (!(chunk instanceof ChunkSelection)) {
            throw new IllegalArgumentException("admitChunk needs a ChunkSelection, got "
                    + (chunk == null ? "null" : chunk.getClass().getName()));
        }
        ChunkSelection selection = (ChunkSelection) chunk;
        int size = selection.size();
        CongestionStrategy strategy = active;
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
        int kept = selection.keptCount();
        count(counters.admitted, kept);
        count(counters.dropped, size - kept);
    }

    /** Adds {@code n} records to one of the counters; looks at the clock when the count crosses a multiple of 64. */
    private void count(AtomicLong counter, long n) {
        if (n > 0 && RateBudget.crossedClockRead(counter.addAndGet(n), n)) {
            budget.tick();
        }
    }

    /**
     * The throttle-only path for opaque {@code store(ByteBuffer)}: waits for {@code weight} permits (the runtime's
     * estimate of the records in the buffer) and counts {@code weight} records offered and admitted. The strategy is not
     * consulted: bytes are never cut.
     */
    public void admitWeighted(int weight) {
        if (weight <= 0) {
            return;
        }
        throttle(weight);
        count(counters.admitted, weight);
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
