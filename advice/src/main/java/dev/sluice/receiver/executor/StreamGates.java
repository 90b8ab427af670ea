package dev.sluice.receiver.executor;

import dev.sluice.receiver.guard.MemoryGuard;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.runtime.UnattachedReceiver;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.builtin.Clock;
import dev.sluice.strategy.builtin.RateBudget;
import dev.sluice.strategy.builtin.Strategies;
import dev.sluice.strategy.builtin.StrategyDeadlineExceeded;
import dev.sluice.strategy.builtin.StrategyFailureListener;
import dev.sluice.strategy.builtin.StrategyLoadException;
import dev.sluice.strategy.builtin.StreamCounters;
import dev.sluice.strategy.builtin.ThrottleStrategy;

import org.apache.spark.streaming.receiver.Receiver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's managed streams: one {@link ManagedStream} per receiver incarnation, the live ones in an array indexed by
 * stream id (ids are small: InputDStream ids count from 0, and restart at 0 in every StreamingContext).
 *
 * <p><b>Incarnations.</b> A receiver's start ({@code ReceiverSupervisor.startReceiver}) creates a fresh stream for it:
 * strategy, budget, flags and guard state derived anew, so a receiver never inherits a pass-through gate, a reliable
 * flag or a bound from another receiver that had the same id (an earlier StreamingContext in this JVM, or a receiver
 * that moved here). Its stop ({@code stopReceiver}, also on the supervisor's stop and on a restart) retires it: its
 * throttle waits end, and the memory guard and the metrics stop seeing it. A restart of the same receiver starts a new
 * incarnation that keeps the driver's last bound and the counters (the same stream on the same executor).
 * Where no start was seen (the agent attached to a running executor), the first store creates the incarnation. The
 * strategy of each incarnation comes from {@link DeclaredStrategy} ({@code sluice.stream.<id>.strategy}, else the
 * receiver's own declaration, else {@code sluice.strategy}).
 *
 * <p><b>Store path.</b> {@link #of(Receiver)} is an array read, a volatile read of the incarnation's owner and a
 * reference compare: no lock, no allocation. Anything else (no incarnation yet, a receiver that is not the live owner
 * of its id) takes the slow path under a lock.
 */
public final class StreamGates {

    private static final Object LOCK = new Object();
    private static volatile ManagedStream[] byId = new ManagedStream[0];
    /** The last incarnation of each receiver, live or retired (slow paths only; guarded by LOCK). */
    private static final Map<Object, ManagedStream> BY_RECEIVER = new WeakHashMap<Object, ManagedStream>();
    /** Incarnations retired since the metrics last looked: their final counts are reported once. */
    private static final ConcurrentLinkedQueue<ManagedStream> RETIRED = new ConcurrentLinkedQueue<ManagedStream>();
    private static volatile SparkExecutorConf sparkConf;
    /** Set by tests: keep their configuration instead of re-reading Spark's at each receiver start. */
    private static volatile boolean confPinned;
    private static volatile long seed = Long.MIN_VALUE;
    /** Time for the budgets of streams created from now on: the JVM's, or a test's virtual clock. */
    private static volatile Clock clock = Clock.SYSTEM;

    private static final StrategyFailureListener LOG_FAILURE = new StrategyFailureListener() {
        @Override
        public void onStrategyFailure(int streamId, String strategyName, Throwable failure) {
            String what = failure instanceof StrategyDeadlineExceeded ? "ran past its deadline: " + failure.getMessage()
                    : "threw";
            SluiceLog.error("strategy '" + strategyName + "' of stream " + streamId + " " + what + "; the failure is "
                    + "contained and stream " + streamId + " throttles from now on", failure);
        }
    };

    private StreamGates() {
    }

    /** The store path: the live incarnation of {@code receiver}'s stream. */
    public static ManagedStream of(Receiver<?> receiver) {
        return of(receiver, receiver.streamId());
    }

    /** The incarnation serving {@code receiver} (stream {@code streamId}); created when there is none. */
    public static ManagedStream of(Object receiver, int streamId) {
        ManagedStream[] streams = byId;
        if (streamId >= 0 && streamId < streams.length) {
            ManagedStream s = streams[streamId];
            if (s != null && s.owner() == receiver) {
                return s;
            }
        }
        return resolve(receiver, streamId);
    }

    /**
     * The live incarnation of a stream id, created (unowned) when there is none: for hooks that know the id but not the
     * receiver, and for tests. The first receiver that stores into an unowned incarnation adopts it.
     */
    public static ManagedStream of(int streamId) {
        ManagedStream[] streams = byId;
        if (streamId >= 0 && streamId < streams.length) {
            ManagedStream s = streams[streamId];
            if (s != null) {
                return s;
            }
        }
        return resolve(null, streamId);
    }

    /** The live incarnation of a stream id, else null (no creation: for read-only hooks). */
    public static ManagedStream existing(int streamId) {
        ManagedStream[] streams = byId;
        return streamId >= 0 && streamId < streams.length ? streams[streamId] : null;
    }

    /**
     * The incarnation a rate update for {@code receiver}'s stream belongs to: its live one, or its last retired one
     * (between the stop and the start of a restart, so the restart keeps the bound), created when it has none.
     */
    static ManagedStream forBound(Object receiver, int streamId) {
        if (receiver == null) {
            return of(streamId);
        }
        synchronized (LOCK) {
            ManagedStream last = BY_RECEIVER.get(receiver);
            if (last != null) {
                return last;
            }
        }
        return of(receiver, streamId);
    }

    /** {@code receiver}'s live or last retired incarnation, else null (no creation: for read-only hooks). */
    static ManagedStream lastOf(Object receiver) {
        synchronized (LOCK) {
            return BY_RECEIVER.get(receiver);
        }
    }

    /** Every live incarnation, in id order. */
    public static List<ManagedStream> all() {
        List<ManagedStream> out = new ArrayList<ManagedStream>();
        for (ManagedStream s : byId) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    /** Incarnations retired since the last call (each returned once), for their final report. */
    public static List<ManagedStream> drainRetired() {
        List<ManagedStream> out = new ArrayList<ManagedStream>();
        for (ManagedStream s; (s = RETIRED.poll()) != null; ) {
            out.add(s);
        }
        return out;
    }

    /** {@code ReceiverSupervisor.startReceiver()}: a new incarnation for {@code receiver}. */
    static ManagedStream receiverStarting(Object receiver, int streamId) {
        checkId(streamId);
        SluiceRuntime.hookFired();
        synchronized (LOCK) {
            ManagedStream previous = BY_RECEIVER.get(receiver);
            if (previous != null && !previous.isRetired() && !previous.isStarted()) {
                // Created for this receiver between its supervisor's construction and now (its own BlockGenerator):
                // already this incarnation's.
                previous.markStarted();
                return previous;
            }
            if (!confPinned) {
                sparkConf = null; // a new StreamingContext in this JVM may come with another block interval or WAL
            }
            ManagedStream created = newStream(streamId, receiver, SluiceRuntime.settings(), conf(),
                    previous != null ? previous.counters() : new StreamCounters());
            if (previous != null) {
                created.continueBoundOf(previous);
                if (!previous.isRetired()) {
                    retireLocked(previous, "restarted");
                }
            }
            created.markStarted();
            install(created, receiver);
            return created;
        }
    }

    /** {@code ReceiverSupervisor.stopReceiver(...)}: retires {@code receiver}'s incarnation. */
    static void receiverStopping(Object receiver) {
        synchronized (LOCK) {
            ManagedStream s = BY_RECEIVER.get(receiver);
            if (s != null && !s.isRetired()) {
                retireLocked(s, "stopped");
            }
        }
        MemoryGuard.stopIfIdle();
        StrategyDeadlineWatch.stopIfIdle();
    }

    private static void retireLocked(ManagedStream s, String why) {
        ManagedStream[] streams = byId;
        int id = s.streamId();
        if (id < streams.length && streams[id] == s) {
            ManagedStream[] copy = streams.clone();
            copy[id] = null;
            byId = copy;
        }
        s.retire();
        RETIRED.add(s);
        SluiceLog.info("stream " + id + " " + why + ": its state is retired (" + s.counters() + ")");
    }

    private static ManagedStream resolve(Object receiver, int streamId) {
        checkId(streamId);
        SluiceRuntime.hookFired();
        synchronized (LOCK) {
            ManagedStream[] streams = byId;
            ManagedStream current = streamId < streams.length ? streams[streamId] : null;
            if (receiver == null) {
                if (current != null) {
                    return current;
                }
            } else {
                if (current != null && current.owner() == receiver) {
                    return current;
                }
                ManagedStream last = BY_RECEIVER.get(receiver);
                if (last != null) {
                    // A receiver storing after its stop, or one whose id a newer receiver took: it keeps its own
                    // (retired) incarnation, which no longer waits and no longer shows in the guard or the metrics.
                    return last;
                }
                if (current != null && current.owner() == null && !current.isStarted()) {
                    // Unowned: created by a rate update before any store (the agent attached to a running executor).
                    current.ownedBy(receiver);
                    BY_RECEIVER.put(receiver, current);
                    return current;
                }
                if (current != null) {
                    retireLocked(current, "replaced by another receiver with the same id");
                }
            }
            ManagedStream created = newStream(streamId, receiver, SluiceRuntime.settings(), conf(), new StreamCounters());
            install(created, receiver);
            return created;
        }
    }

    private static void install(ManagedStream s, Object receiver) {
        ManagedStream[] streams = byId;
        int id = s.streamId();
        ManagedStream[] grown = new ManagedStream[Math.max(streams.length, id + 1)];
        System.arraycopy(streams, 0, grown, 0, streams.length);
        ManagedStream replaced = grown[id];
        if (replaced != null && replaced != s && !replaced.isRetired()) {
            retireLocked(replaced, "replaced by a new receiver");
            grown[id] = null;
        }
        if (receiver != null) {
            s.ownedBy(receiver);
            BY_RECEIVER.put(receiver, s);
        }
        grown[id] = s;
        byId = grown;
        MemoryGuard.startIfEnabled();
        StrategyDeadlineWatch.startFor(s, strategyDeadlineMs(SluiceRuntime.settings()));
    }

    private static void checkId(int streamId) {
        if (streamId < 0) {
            throw UnattachedReceiver.INSTANCE;
        }
    }

    static ManagedStream newStream(int streamId, Object receiver, RuntimeSettings settings, SparkExecutorConf conf,
                                   StreamCounters counters) {
        // Derived anew for every incarnation, from this receiver's own declaration (never another one's with the id).
        DeclaredStrategy.Choice choice = DeclaredStrategy.resolve(streamId, DeclaredStrategy.declaration(receiver),
                settings);
        String name = choice.name;
        CongestionStrategy strategy;
        try {
            strategy = choice.instance != null ? choice.instance : Strategies.create(name,
                    Thread.currentThread().getContextClassLoader(), ClassLoader.getSystemClassLoader());
        } catch (StrategyLoadException e) {
            SluiceLog.error("stream " + streamId + ": " + e.getMessage() + "; stream " + streamId
                    + " throttles instead", e.getCause());
            strategy = new ThrottleStrategy();
        }
        StreamStrategyContext context = new StreamStrategyContext(streamId, conf.blockIntervalMs, settings,
                seedFor(settings));
        try {
            strategy.init(context);
        } catch (Throwable t) {
            SluiceLog.error("strategy '" + name + "' of stream " + streamId + " failed in init(); stream " + streamId
                    + " throttles instead", t);
            strategy = new ThrottleStrategy();
            strategy.init(context);
        }
        RateBudget budget = new RateBudget(clock, TimeUnit.MILLISECONDS.toNanos(conf.blockIntervalMs));
        long maxWaitMs = settings.getDurationMs("sluice.throttle.maxWait", DEFAULT_MAX_WAIT_MS);
        budget.setMaxWaitNanos(maxWaitMs > 0 ? TimeUnit.MILLISECONDS.toNanos(maxWaitMs) : Long.MAX_VALUE);
        boolean allowLoss = settings.getBoolean("sluice.reliable.allowLoss", false);
        boolean coalesceBulk = settings.getBoolean("sluice.bulk.coalesce", true);
        ManagedStream stream = new ManagedStream(streamId, name, strategy, budget, counters, LOG_FAILURE,
                allowLoss, coalesceBulk);
        stream.gate().setStrategyDeadlineNanos(StrategyDeadlineWatch.deadlineNanos(strategyDeadlineMs(settings)));
        SluiceLog.info("stream " + streamId + " managed with strategy '" + stream.strategyName() + "' ("
                + choice.source + "; block interval " + conf.blockIntervalMs + " ms)");
        if (conf.receiverWalEnabled) {
            stream.markReliable("spark.streaming.receiver.writeAheadLog.enable=true");
        }
        return stream;
    }

    private static SparkExecutorConf conf() {
        SparkExecutorConf c = sparkConf;
        if (c == null) {
            c = SparkExecutorConf.read();
            sparkConf = c;
        }
        return c;
    }

    private static long seedFor(RuntimeSettings settings) {
        String configured = settings.get("sluice.seed", null);
        if (configured != null) {
            try {
                return Long.parseLong(configured);
            } catch (NumberFormatException ignored) {
                // validated by the agent; fall through
            }
        }
        if (seed == Long.MIN_VALUE) {
            seed = System.nanoTime() ^ Double.doubleToLongBits(Math.random());
        }
        return seed;
    }

    private static long strategyDeadlineMs(RuntimeSettings settings) {
        return settings.getDurationMs("sluice.userStrategy.deadline", DEFAULT_STRATEGY_DEADLINE_MS);
    }

    /**
     * {@code sluice.userStrategy.deadline} when not configured: longer than {@code sluice.throttle.maxWait}'s default, so a
     * user strategy that waits on {@code Budget.acquire} is never cut short by it.
     */
    static final long DEFAULT_STRATEGY_DEADLINE_MS = 60_000;

    /** {@code sluice.throttle.maxWait} when not configured. */
    static final long DEFAULT_MAX_WAIT_MS = 30_000;

    /** Test support: forget every stream; new budgets read the system clock. */
    static void resetForTests(SparkExecutorConf conf) {
        resetForTests(conf, Clock.SYSTEM);
    }

    /** Test support: forget every stream; new budgets read {@code budgetClock}. */
    static void resetForTests(SparkExecutorConf conf, Clock budgetClock) {
        synchronized (LOCK) {
            clock = budgetClock;
            confPinned = conf != null;
            byId = new ManagedStream[0];
            BY_RECEIVER.clear();
            RETIRED.clear();
            sparkConf = conf;
        }
    }
}
