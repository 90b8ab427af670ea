package dev.sluice.receiver.executor;

import dev.sluice.runtime.SluiceLog;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.SelfLimitedReceiver;
import dev.sluice.strategy.builtin.PassThroughStrategy;
import dev.sluice.strategy.builtin.RateBudget;
import dev.sluice.strategy.builtin.StrategyFailureListener;
import dev.sluice.strategy.builtin.StreamCounters;
import dev.sluice.strategy.builtin.StreamGate;
import dev.sluice.strategy.builtin.ThrottleStrategy;

/**
 * One incarnation of an input stream in this executor: from a receiver's start to its stop (a restart or a new
 * StreamingContext begins a new one, see {@link StreamGates}). It holds the gate (strategy + budget + counters), the
 * bound learned from the driver, the memory guard's factor, and the facts that change how it is enforced (a
 * BlockGenerator of its own; a reliable, metadata-storing receiver; a self-limited receiver), all derived anew for each
 * incarnation. Retired on the receiver's stop: its throttle waits end and it leaves the guard's and the metrics' view.
 *
 * <p>The bound in force on the budget is {@code learned × guardFactor}; with no learned bound and memory stressed, the
 * guard imposes {@code recentOfferedRate × guardFactor}. A stream with its own BlockGenerator keeps Spark's limiter, so
 * its budget stays unbounded and its bulk stores are only counted.
 */
public final class ManagedStream {

    private final int streamId;
    private final String configuredStrategy;
    private final boolean allowLoss;
    /** {@code sluice.bulk.coalesce}: whether {@link BulkCoalescing} may serve this stream's iterator stores. */
    private final boolean coalesceBulk;
    private final RateBudget budget;
    private final StreamCounters counters;
    private final StrategyFailureListener failureListener;
    private volatile StreamGate gate;

    private volatile double learnedBound = Double.NaN;
    private volatile double guardFactor = 1.0;
    private volatile double guardBase = Double.NaN;
    private volatile boolean ownBlockGenerator;
    private volatile boolean reliable;
    private volatile boolean selfLimited;
    /** The receiver class last checked for {@link SelfLimitedReceiver}: one reference compare per bulk store after that. */
    private volatile Class<?> checkedReceiverClass;

    /**
     * The receiver this incarnation serves (compared by identity on the store path), null while unowned (created by a
     * rate update or a test before any receiver claimed it) and once retired.
     */
    private volatile Object owner;
    private volatile boolean started;
    private volatile boolean retired;
    private volatile boolean expiryLogged;

    ManagedStream(int streamId, String configuredStrategy, CongestionStrategy strategy, RateBudget budget,
                  StreamCounters counters, StrategyFailureListener failureListener, boolean allowLoss,
                  boolean coalesceBulk) {
        this.streamId = streamId;
        this.configuredStrategy = configuredStrategy;
        this.allowLoss = allowLoss;
        this.coalesceBulk = coalesceBulk;
        this.budget = budget;
        this.counters = counters;
        this.failureListener = failureListener;
        this.gate = new StreamGate(streamId, strategy, budget, counters, failureListener);
        budget.onExpiry(new Runnable() {
            @Override
            public void run() {
                logFirstExpiry();
            }
        });
    }

    private void logFirstExpiry() {
        if (!expiryLogged) {
            expiryLogged = true;
            SluiceLog.warn("stream " + this.streamId + ": a throttle wait reached sluice.throttle.maxWait ("
                    + budget.maxWaitNanos() / 1_000_000 + " ms); its records were stored over the bound, not lost "
                    + "(counted in sluice.throttle.overdue; later expiries are only counted)");
        }
    }

    Object owner() {
        return owner;
    }

    /** Set by {@link StreamGates} under its lock. */
    void ownedBy(Object receiver) {
        owner = receiver;
    }

    boolean isStarted() {
        return started;
    }

    void markStarted() {
        started = true;
    }

    /** Whether the receiver of this incarnation stopped (or another incarnation replaced it). */
    public boolean isRetired() {
        return retired;
    }

    /** The receiver stopped: waits end, the stream leaves the guard's and the metrics' view. Called by StreamGates. */
    void retire() {
        retired = true;
        owner = null;
        budget.close();
    }

    /**
     * A restart of the same receiver: the driver's bound for this stream is still the driver's decision (Spark's own
     * limiter, which Sluice set aside, would have kept it too) until the driver re-sends it on the restart. Nothing else
     * carries over: flags, guard base, gate and budget state are derived anew.
     */
    void continueBoundOf(ManagedStream previous) {
        double bound = previous.learnedBound;
        if (!Double.isNaN(bound)) {
            learnedBound = bound;
            applyBound();
        }
        budget.continueFrom(previous.budget); // a restart is no fresh burst
    }

    /** Records stored over the bound because a throttle wait reached {@code sluice.throttle.maxWait}. */
    public long overdueRecords() {
        return budget.overduePermits();
    }

    /** Throttle waits that reached {@code sluice.throttle.maxWait}. */
    public long expiredWaits() {
        return budget.expiredWaits();
    }

    /** Records stored without waiting because the receiver stopped while they waited. */
    public long releasedAtStop() {
        return budget.releasedPermits();
    }

    public int streamId() {
        return streamId;
    }

    public StreamGate gate() {
        return gate;
    }

    public StreamCounters counters() {
        return counters;
    }

    public RateBudget budget() {
        return budget;
    }

    /** The strategy in force (throttle after a refusal on a reliable receiver or a failure). */
    public String strategyName() {
        return gate.strategyName();
    }

    public String configuredStrategy() {
        return configuredStrategy;
    }

    /** The bound last sent by the driver, records/s; NaN before the first. */
    public double learnedBound() {
        return learnedBound;
    }

    /** The bound the budget enforces now (learned × guard), records/s; +infinity when none. */
    public double effectiveBound() {
        return budget.bound();
    }

    public double guardFactor() {
        return guardFactor;
    }

    public boolean coalescesBulk() {
        return coalesceBulk;
    }

    public boolean hasOwnBlockGenerator() {
        return ownBlockGenerator;
    }

    public boolean isReliable() {
        return reliable;
    }

    public boolean isSelfLimited() {
        return selfLimited;
    }

    /**
     * Called on the bulk store paths with the storing receiver's class. A receiver marked {@link SelfLimitedReceiver}
     * already requests no more than the bound (it reads it through {@code getCurrentRateLimit}), so its stores are
     * counted through a pass-through gate instead of being paced a second time. The budget keeps the bound, which is
     * what the receiver reads.
     */
    void noteReceiverClass(Class<?> receiverClass) {
        if (receiverClass == checkedReceiverClass) {
            return;
        }
        synchronized (this) {
            checkedReceiverClass = receiverClass;
            if (!selfLimited && implementsByName(receiverClass, SelfLimitedReceiver.NAME)) {
                selfLimited = true;
                gate = new StreamGate(streamId, new PassThroughStrategy(), budget, counters, failureListener);
                SluiceLog.info("stream " + streamId + ": receiver " + receiverClass.getName() + " limits itself to the "
                        + "bound (" + SelfLimitedReceiver.NAME + "); its stores are counted, not paced again");
            }
        }
    }

    /** By name, so an application's own copy of the marker counts as well as the agent's. */
    static boolean implementsByName(Class<?> type, String interfaceName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(interfaceName) || implementsByName(i, interfaceName)) {
                    return true;
                }
            }
        }
        return false;
    }

    void learnBound(long recordsPerSecond) {
        if (recordsPerSecond <= 0) {
            return; // Spark ignores non-positive rates too
        }
        learnedBound = recordsPerSecond;
        applyBound();
    }

    /** The memory guard's verdict for this JVM, applied to this stream. */
    public void applyGuard(double factor) {
        if (factor >= 1.0) {
            guardFactor = 1.0;
            guardBase = Double.NaN;
        } else {
            if (guardFactor >= 1.0 && Double.isNaN(learnedBound)) {
                // No bound yet: tighten relative to what is coming in right now.
                double offered = budget.offeredRate();
                guardBase = offered > 0 ? offered : Double.NaN;
            }
            guardFactor = factor;
        }
        applyBound();
    }

    void markOwnBlockGenerator() {
        if (!ownBlockGenerator) {
            ownBlockGenerator = true;
            SluiceLog.info("stream " + streamId + " feeds a BlockGenerator of its own (Kinesis pattern): Spark's rate "
                    + "limiter stays in charge of it; its store(ArrayBuffer, metadata) calls are counted, not limited "
                    + "again");
            applyBound();
        }
    }

    /**
     * A store with metadata (or the receiver WAL) marks the receiver reliable: a lossy strategy would lose data whose
     * offsets the source will consider delivered. Unless the user allowed it, the stream throttles from now on.
     */
    void markReliable(String why) {
        if (reliable) {
            return;
        }
        synchronized (this) {
            if (reliable) {
                return;
            }
            reliable = true;
            StreamGate current = gate;
            if (current.strategy().mayDiscard()) {
                if (allowLoss) {
                    SluiceLog.warn("stream " + streamId + " is reliable (" + why + ") and strategy '"
                            + current.strategyName() + "' may discard records: allowed by sluice.reliable.allowLoss=true");
                } else {
                    SluiceLog.warn("stream " + streamId + " is reliable (" + why + "): strategy '"
                            + current.strategyName() + "' would lose records, so it is refused and throttle is used "
                            + "instead (set sluice.reliable.allowLoss=true to allow loss)");
                    gate = new StreamGate(streamId, new ThrottleStrategy(), budget, counters, failureListener);
                }
            }
        }
    }

    private synchronized void applyBound() {
        if (ownBlockGenerator) {
            budget.setBound(Double.POSITIVE_INFINITY);
            return;
        }
        double learned = learnedBound;
        double factor = guardFactor;
        double bound;
        if (!Double.isNaN(learned)) {
            bound = learned * factor;
        } else if (factor < 1.0 && !Double.isNaN(guardBase)) {
            bound = guardBase * factor;
        } else {
            bound = Double.POSITIVE_INFINITY;
        }
        budget.setBound(Double.isInfinite(bound) ? bound : Math.max(1.0, bound));
    }
}
