package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.SluiceRuntime;

import org.apache.spark.streaming.receiver.ReceiverSupervisor;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the executor's rate-limit advice calls: learning the driver's bound ({@code RateLimiter.updateRate}), reporting
 * the limit in force ({@code RateLimiter.getCurrentLimit}), and spotting receivers with a BlockGenerator of their own.
 *
 * <p><b>Who owns the rate.</b> Spark's limiter (a Guava RateLimiter in each BlockGenerator, created at
 * {@code min(spark.streaming.backpressure.initialRate, spark.streaming.receiver.maxRate)}) blocks {@code store(single)}.
 * Until the driver has sent a bound for a stream it stays exactly as Spark made it. From the first bound on, Sluice's
 * gate enforces the bound and Spark's limiter is set explicitly to the user's {@code receiver.maxRate} (unlimited when
 * unset): the update runs with {@code Long.MAX_VALUE} in place of the bound, and Spark's own
 * {@code setRate(min(newRate, maxRate))} does the rest. So an initial rate is an initial rate, not a cap for the
 * stream's whole life, and a drop or sample is not also blocked behind Guava. Streams with a BlockGenerator of their
 * own (Kinesis pattern) keep Spark's limiter in charge: their update runs unchanged.
 */
public final class BoundHooks {

    private static final Map<Object, Integer> STREAM_OF_GENERATOR = new WeakHashMap<Object, Integer>();
    /** BlockGenerator -> its receiver (weakly: the receiver reaches the generator through its supervisor). */
    private static final Map<Object, WeakReference<Object>> RECEIVER_OF_GENERATOR =
            new WeakHashMap<Object, WeakReference<Object>>();
    private static volatile Field receiverIdField;

    private BoundHooks() {
    }

    /**
     * {@code RateLimiter.updateRate(J)V} enter ({@code limiter} is a BlockGenerator).
     *
     * @return the rate Spark's own limiter is to be updated with: {@link Long#MAX_VALUE} for a stream Sluice governs
     * (Spark then applies only the user's {@code receiver.maxRate}), {@code recordsPerSecond} unchanged otherwise (not
     * a BlockGenerator we can place, a non-positive rate Spark ignores, a stream that keeps Spark's limiter)
     */
    public static long onUpdateRate(Object limiter, long recordsPerSecond) {
        try {
            SluiceRuntime.hookFired();
            if (recordsPerSecond <= 0) {
                return recordsPerSecond; // Spark ignores it; so does Sluice
            }
            int streamId = streamIdOf(limiter);
            if (streamId < 0) {
                return recordsPerSecond;
            }
            ManagedStream stream = StreamGates.forBound(receiverOf(limiter), streamId);
            stream.learnBound(recordsPerSecond);
            return stream.hasOwnBlockGenerator() ? recordsPerSecond : Long.MAX_VALUE;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.UPDATE_RATE, t);
            return recordsPerSecond;
        }
    }

    /**
     * {@code RateLimiter.getCurrentLimit()J} exit: the limit actually enforced, the lower of Spark's limiter and Sluice's
     * bound in force for the stream (learned x guard); Spark's alone where Sluice has no bound.
     */
    public static long currentLimit(Object limiter, long sparkLimit) {
        if (AdviceErrors.bypassed(AdviceErrors.Hook.CURRENT_LIMIT)) {
            return sparkLimit;
        }
        try {
            int streamId = streamIdOf(limiter);
            if (streamId < 0) {
                return sparkLimit;
            }
            Object receiver = receiverOf(limiter);
            ManagedStream stream = receiver != null ? StreamGates.lastOf(receiver) : StreamGates.existing(streamId);
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

    /**
     * {@code ReceiverSupervisorImpl.createBlockGenerator(listener)} exit: remembers whose generator it is, and marks the
     * Kinesis pattern (a listener other than the supervisor's default one) on the receiver's incarnation.
     */
    public static void onBlockGeneratorCreated(ReceiverSupervisor supervisor, Object receiver, Object listener,
                                               Object defaultListener, Object blockGenerator) {
        try {
            SluiceRuntime.hookFired();
            if (blockGenerator != null && receiver != null) {
                synchronized (RECEIVER_OF_GENERATOR) {
                    RECEIVER_OF_GENERATOR.put(blockGenerator, new WeakReference<Object>(receiver));
                }
            }
            if (defaultListener != null && listener != defaultListener) {
                StreamGates.forBound(receiver, supervisor.streamId()).markOwnBlockGenerator();
            }
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.CREATE_BLOCK_GENERATOR, t);
        }
    }

    /** The receiver whose supervisor created {@code blockGenerator}; null when not seen (the agent attached late). */
    static Object receiverOf(Object blockGenerator) {
        WeakReference<Object> ref;
        synchronized (RECEIVER_OF_GENERATOR) {
            ref = RECEIVER_OF_GENERATOR.get(blockGenerator);
        }
        return ref == null ? null : ref.get();
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
