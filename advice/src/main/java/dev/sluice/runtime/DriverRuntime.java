package dev.sluice.runtime;

import dev.sluice.kafka.driver.DirectKafkaStreams;
import dev.sluice.rate.RateEstimator;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The driver side of the loop: attaches to each StreamingContext when it starts (advice on {@code start()}, or
 * {@link #attachToActiveContext()} when the agent arrives late), registers {@link SluiceStreamingListener}, publishes the
 * initial bound, and takes over from Spark's PID when {@code spark.streaming.backpressure.enabled=true}.
 */
public final class DriverRuntime {

    private static final Map<StreamingContext, DriverContext> CONTEXTS =
            Collections.synchronizedMap(new IdentityHashMap<StreamingContext, DriverContext>());
    private static volatile boolean inCharge;

    private DriverRuntime() {
    }

    /** {@code StreamingContext.start()} exit. */
    public static void onContextStarted(StreamingContext ssc) {
        try {
            SluiceRuntime.hookFired();
            attach(ssc);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.CONTEXT_START, t);
        }
    }

    /** For a late attach (agentmain): the active context, if any, via the public {@code StreamingContext.getActive()}. */
    public static void attachToActiveContext() {
        try {
            scala.Option<StreamingContext> active = StreamingContext.getActive();
            if (active.isDefined()) {
                SluiceRuntime.hookFired();
                attach(active.get());
            }
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.CONTEXT_START, t);
        }
    }

    /** {@code ReceiverRateController.publish(J)} enter: true skips Spark's publication while Sluice is in charge. */
    public static boolean skipSparkPublish(long sparkRate) {
        return inCharge;
    }

    private static void attach(StreamingContext ssc) {
        synchronized (CONTEXTS) {
            if (CONTEXTS.containsKey(ssc)) {
                return;
            }
            // Spark allows one active StreamingContext per JVM: a new one means the previous ones have stopped.
            CONTEXTS.clear();
            DriverStreams.retireAll();
            CONTEXTS.put(ssc, null); // claimed; filled below
        }
        RuntimeSettings settings = SluiceRuntime.settings();
        long batchMs = ssc.graph().batchDuration().milliseconds();
        ReceiverInputDStream<?>[] inputs = ssc.graph().getReceiverInputStreams();
        int[] receiverIds = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            receiverIds[i] = inputs[i].id();
        }
        // Direct Kafka streams (no receiver) share the estimator; their bound is enforced where Spark plans batches.
        int[] ids = DirectKafkaStreams.withDirectStreams(ssc, receiverIds);
        EstimatorFactory factory = SluiceRuntime.estimatorFactory();
        RateEstimator estimator = factory == null ? null : factory.create(batchMs, ids.clone());
        DriverContext context = new DriverContext(ssc, estimator, batchMs, ids, SluiceRuntime.batchLog());
        CONTEXTS.put(ssc, context);
        ssc.addStreamingListener(new SluiceStreamingListener(context));
        inCharge = true;
        boolean sparkBackpressure = ssc.conf().getBoolean("spark.streaming.backpressure.enabled", false);
        SluiceLog.info("attached to StreamingContext: batch interval " + batchMs + " ms, receiver streams "
                + java.util.Arrays.toString(receiverIds) + (ids.length > receiverIds.length ? ", direct Kafka streams "
                + java.util.Arrays.toString(java.util.Arrays.copyOfRange(ids, receiverIds.length, ids.length)) : "")
                + ", estimator " + (factory == null ? "none" : factory.name()));
        if (sparkBackpressure) {
            SluiceLog.info("Sluice takes over back-pressure from Spark's PID for this StreamingContext "
                    + "(spark.streaming.backpressure.enabled=true: Spark's rate publications are skipped)");
        }
        double initial = settings.getDouble("sluice.rate.initial", 0);
        if (initial > 0) {
            for (int id : ids) {
                context.publish(id, (long) initial);
            }
        }
    }

    public static boolean attached() {
        return inCharge;
    }
}
