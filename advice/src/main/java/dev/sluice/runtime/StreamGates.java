package dev.sluice.runtime;

import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.builtin.Clock;
import dev.sluice.strategy.builtin.RateBudget;
import dev.sluice.strategy.builtin.Strategies;
import dev.sluice.strategy.builtin.StrategyFailureListener;
import dev.sluice.strategy.builtin.StrategyLoadException;
import dev.sluice.strategy.builtin.StreamCounters;
import dev.sluice.strategy.builtin.ThrottleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's managed streams, in an array indexed by stream id (ids are small: InputDStream ids count from 0). The hot
 * path is an array read; a stream is created on first use, under a lock, with the strategy {@link DeclaredStrategy}
 * chooses ({@code sluice.stream.<id>.strategy}, else the receiver's declaration, else {@code sluice.strategy}).
 */
public final class StreamGates {

    private static final Object LOCK = new Object();
    private static volatile ManagedStream[] byId = new ManagedStream[0];
    private static volatile SparkExecutorConf sparkConf;
    private static volatile long seed = Long.MIN_VALUE;

    private static final StrategyFailureListener LOG_FAILURE = new StrategyFailureListener() {
        @Override
        public void onStrategyFailure(int streamId, String strategyName, Throwable failure) {
            SluiceLog.error("strategy '" + strategyName + "' of stream " + streamId + " threw; the failure is contained "
                    + "and stream " + streamId + " throttles from now on", failure);
        }
    };

    private StreamGates() {
    }

    /** The stream, created on first use. */
    public static ManagedStream of(int streamId) {
        ManagedStream[] streams = byId;
        if (streamId >= 0 && streamId < streams.length) {
            ManagedStream s = streams[streamId];
            if (s != null) {
                return s;
            }
        }
        return create(streamId);
    }

    /** The stream if it exists, else null (no creation: for read-only hooks). */
    public static ManagedStream existing(int streamId) {
        ManagedStream[] streams = byId;
        return streamId >= 0 && streamId < streams.length ? streams[streamId] : null;
    }

    /** Every stream created in this JVM, in id order. */
    public static List<ManagedStream> all() {
        List<ManagedStream> out = new ArrayList<ManagedStream>();
        for (ManagedStream s : byId) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static ManagedStream create(int streamId) {
        if (streamId < 0) {
            throw new IllegalArgumentException("stream id " + streamId);
        }
        SluiceRuntime.hookFired();
        synchronized (LOCK) {
            ManagedStream[] streams = byId;
            if (streamId < streams.length && streams[streamId] != null) {
                return streams[streamId];
            }
            ManagedStream created = newStream(streamId, SluiceRuntime.settings(), conf());
            ManagedStream[] grown = new ManagedStream[Math.max(streams.length, streamId + 1)];
            System.arraycopy(streams, 0, grown, 0, streams.length);
            grown[streamId] = created;
            byId = grown;
            MemoryGuard.startIfEnabled();
            return created;
        }
    }

    static ManagedStream newStream(int streamId, RuntimeSettings settings, SparkExecutorConf conf) {
        DeclaredStrategy.Choice choice = DeclaredStrategy.resolve(streamId, settings);
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
        RateBudget budget = new RateBudget(Clock.SYSTEM, TimeUnit.MILLISECONDS.toNanos(conf.blockIntervalMs));
        boolean allowLoss = settings.getBoolean("sluice.reliable.allowLoss", false);
        boolean coalesceBulk = settings.getBoolean("sluice.bulk.coalesce", true);
        ManagedStream stream = new ManagedStream(streamId, name, strategy, budget, new StreamCounters(), LOG_FAILURE,
                allowLoss, coalesceBulk);
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

    /** Test support: forget every stream. */
    static void resetForTests(SparkExecutorConf conf) {
        synchronized (LOCK) {
            byId = new ManagedStream[0];
            sparkConf = conf;
        }
    }
}
