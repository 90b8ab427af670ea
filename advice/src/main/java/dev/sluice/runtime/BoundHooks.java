package dev.sluice.runtime;

import org.apache.spark.streaming.receiver.ReceiverSupervisor;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the executor's rate-limit advice calls: learning the driver's bound ({@code RateLimiter.updateRate}), reporting
 * it ({@code RateLimiter.getCurrentLimit}), and spotting receivers with a BlockGenerator of their own.
 */
public final class BoundHooks {

    private static final Map<Object, Integer> STREAM_OF_GENERATOR = new WeakHashMap<Object, Integer>();
    private static volatile Field receiverIdField;

    private BoundHooks() {
    }

    /**
     * {@code RateLimiter.updateRate(J)V} enter ({@code limiter} is a BlockGenerator).
     *
     * @return true to skip Spark's own {@code setRate} (Sluice enforces the bound), false to let it run (not a
     * BlockGenerator we can place, or a stream that keeps Spark's limiter)
     */
    public static boolean onUpdateRate(Object limiter, long recordsPerSecond) {
        try {
            SluiceRuntime.hookFired();
            int streamId = streamIdOf(limiter);
            if (streamId < 0) {
                return false;
            }
            ManagedStream stream = StreamGates.of(streamId);
            stream.learnBound(recordsPerSecond);
            return !stream.hasOwnBlockGenerator();
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.UPDATE_RATE, t);
            return false;
        }
    }

    /** {@code RateLimiter.getCurrentLimit()J} exit: Sluice's bound for streams it manages, else Spark's value. */
    public static long currentLimit(Object limiter, long sparkLimit) {
        try {
            int streamId = streamIdOf(limiter);
            ManagedStream stream = streamId < 0 ? null : StreamGates.existing(streamId);
            if (stream == null || stream.hasOwnBlockGenerator()) {
                return sparkLimit;
            }
            double bound = stream.effectiveBound();
            if (Double.isInfinite(bound) || Double.isNaN(bound)) {
                return sparkLimit;
            }
            return Math.min(sparkLimit, Math.max(1L, (long) bound));
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.CURRENT_LIMIT, t);
            return sparkLimit;
        }
    }

    /** {@code ReceiverSupervisorImpl.createBlockGenerator(listener)} exit. */
    public static void onBlockGeneratorCreated(ReceiverSupervisor supervisor, Object listener, Object defaultListener,
                                               Object blockGenerator) {
        try {
            SluiceRuntime.hookFired();
            DeclaredStrategy.noteSupervisor(supervisor, supervisor.streamId());
            if (defaultListener != null && listener != defaultListener) {
                StreamGates.of(supervisor.streamId()).markOwnBlockGenerator();
            }
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.CREATE_BLOCK_GENERATOR, t);
        }
    }

    /** The stream id of a BlockGenerator (private field {@code receiverId}), cached per instance; -1 if not one. */
    static int streamIdOf(Object limiter) throws IllegalAccessException {
        synchronized (STREAM_OF_GENERATOR) {
            Integer cached = STREAM_OF_GENERATOR.get(limiter);
            if (cached != null) {
                return cached;
            }
        }
        Field f = receiverIdField(limiter.getClass());
        int id = f == null ? -1 : f.getInt(limiter);
        synchronized (STREAM_OF_GENERATOR) {
            STREAM_OF_GENERATOR.put(limiter, id);
        }
        return id;
    }

    private static Field receiverIdField(Class<?> type) {
        Field f = receiverIdField;
        if (f != null && f.getDeclaringClass().isAssignableFrom(type)) {
            return f;
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field found = c.getDeclaredField("receiverId");
                if (found.getType() == int.class) {
                    found.setAccessible(true);
                    receiverIdField = found;
                    return found;
                }
            } catch (NoSuchFieldException ignored) {
                // keep walking up
            }
        }
        return null;
    }
}
