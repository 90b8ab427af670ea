package dev.sluice.receiver.driver;

import dev.sluice.kafka.driver.DirectKafkaStreams;
import dev.sluice.rate.RateEstimator;
import dev.sluice.receiver.executor.StreamGates;
import dev.sluice.receiver.guard.MemoryGuard;
import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.EstimatorFactory;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.dstream.DStream;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;
import org.apache.spark.streaming.scheduler.RateController;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The driver side of the loop: attaches to each StreamingContext when it starts (advice on {@code start()}, or
 * {@link #attachToActiveContext()} when the agent arrives late), registers {@link SluiceStreamingListener}, publishes the
 * initial bound, and detaches when the context stops (advice on {@code stop(ZZ)}): listener removed, streams retired,
 * memory guard of this JVM stopped, no reference to the context kept. Spark's own rate controller is taken over only
 * per stream, with {@code spark.streaming.backpressure.enabled=true}, once Sluice has a bound for that stream.
 */
public final class DriverRuntime {

    /** Attached, not yet stopped contexts. Spark allows one active StreamingContext per JVM; an entry leaves at stop. */
    private static final Map<StreamingContext, Attachment> CONTEXTS = new IdentityHashMap<StreamingContext, Attachment>();
    private static final AtomicLong ATTACHED = new AtomicLong();

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

    /** {@code StreamingContext.stop(ZZ)} exit (it returned: the context is stopped). */
    public static void onContextStopped(StreamingContext ssc) {
        try {
            Attachment a;
            synchronized (CONTEXTS) {
                a = CONTEXTS.remove(ssc);
            }
            if (a != null) {
                detach(ssc, a);
            }
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.CONTEXT_STOP, t);
        }
    }

    /**
     * {@code ReceiverInputDStream$ReceiverRateController.publish(J)} enter: true skips Spark's publication because
     * Sluice's bound is in force for that controller's stream (see {@link DriverContext#overridesSparkPublication}).
     */
    public static boolean skipSparkPublish(Object controller, Object inputStream, long sparkRate) {
        try {
            if (!(controller instanceof RateController) || !(inputStream instanceof DStream)) {
                return false;
            }
            StreamingContext ssc = ((DStream<?>) inputStream).ssc();
            DriverContext context;
            synchronized (CONTEXTS) {
                Attachment a = CONTEXTS.get(ssc);
                context = a == null ? null : a.context;
            }
            return context != null && context.overridesSparkPublication(((RateController) controller).streamUID());
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.RATE_CONTROLLER_PUBLISH, t);
            return false;
        }
    }

    private static void attach(StreamingContext ssc) {
        List<Map.Entry<StreamingContext, Attachment>> leftovers = new ArrayList<Map.Entry<StreamingContext, Attachment>>();
        synchronized (CONTEXTS) {
            if (CONTEXTS.containsKey(ssc)) {
                return;
            }
            // Spark allows one active StreamingContext per JVM: any other still here stopped without our hook.
            leftovers.addAll(CONTEXTS.entrySet());
            CONTEXTS.clear();
            CONTEXTS.put(ssc, null); // claimed; filled below
        }
        for (Map.Entry<StreamingContext, Attachment> e : leftovers) {
            if (e.getValue() != null) {
                detach(e.getKey(), e.getValue());
            }
        }
        Attachment attachment = null;
        try {
            attachment = newAttachment(ssc);
        } finally {
            synchronized (CONTEXTS) {
                if (attachment != null && CONTEXTS.containsKey(ssc)) {
                    CONTEXTS.put(ssc, attachment);
                } else {
                    CONTEXTS.remove(ssc); // failed, or stopped while attaching
                    if (attachment != null) {
                        attachment.context.retire();
                    }
                }
            }
        }
    }

    private static Attachment newAttachment(StreamingContext ssc) {
        RuntimeSettings settings = SluiceRuntime.settings();
        long batchMs = ssc.graph().batchDuration().milliseconds();
        boolean sparkBackpressure = ssc.conf().getBoolean("spark.streaming.backpressure.enabled", false);
        String name = "StreamingContext #" + ATTACHED.incrementAndGet();
        ReceiverInputDStream<?>[] inputs = ssc.graph().getReceiverInputStreams();
        int[] receiverIds = new int[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            receiverIds[i] = inputs[i].id();
        }
        // Direct Kafka streams (no receiver) share the estimator; their bound is read where Spark plans their batches.
        int[] ids = DirectKafkaStreams.withDirectStreams(ssc, receiverIds);
        if (ids.length == 0) {
            SluiceLog.warn(DriverWarnings.noReceiverStreams(ssc.graph().getInputStreams()));
        }
        EstimatorFactory factory = SluiceRuntime.estimatorFactory();
        RateEstimator estimator = factory == null ? null : factory.create(batchMs, ids.clone());
        DriverContext context = new DriverContext(name, estimator, batchMs, sparkBackpressure, SluiceRuntime.batchLog());
        context.executorAgentHint(DriverWarnings.executorAgentHint(ssc.conf()));
        RateUpdateChannel receivers = new ReceiverTrackerChannel(ssc);
        for (int id : receiverIds) {
            context.govern(id, receivers);
        }
        for (int i = receiverIds.length; i < ids.length; i++) {
            context.govern(ids[i], PlannedAtBatchTime.INSTANCE);
        }
        if (!StreamGates.all().isEmpty()) {
            MemoryGuard.startIfEnabled(); // local mode: receivers of an earlier context left streams in this JVM
        }
        SluiceStreamingListener listener = new SluiceStreamingListener(context);
        ssc.addStreamingListener(listener);
        SluiceLog.info("attached to " + name + ": batch interval " + batchMs + " ms, receiver streams "
                + Arrays.toString(receiverIds) + (ids.length > receiverIds.length ? ", direct Kafka streams "
                + Arrays.toString(Arrays.copyOfRange(ids, receiverIds.length, ids.length)) : "") + ", estimator " + (factory == null ? "none" : factory.name())
                + (sparkBackpressure ? "; spark.streaming.backpressure.enabled=true: Spark's rate controller publishes "
                + "for a stream until Sluice has a bound for it" : ""));
        context.startBounds(settings.getDouble("sluice.rate.initial", 0));
        return new Attachment(context, listener);
    }

    private static void detach(StreamingContext ssc, Attachment a) {
        a.context.retire();
        try {
            ssc.removeStreamingListener(a.listener);
        } finally {
            // In local mode the receivers ran in this JVM: with its context stopped, nothing is left for the guard.
            MemoryGuard.stop();
            SluiceLog.info("detached from " + a.context.name() + " (stopped)");
        }
    }

    /** Attached, not yet stopped contexts (tests and diagnostics). */
    static int attachedContexts() {
        synchronized (CONTEXTS) {
            return CONTEXTS.size();
        }
    }

    /** The driver side of an attached, not yet stopped context, or null (tests). */
    static DriverContext contextOf(StreamingContext ssc) {
        synchronized (CONTEXTS) {
            Attachment a = CONTEXTS.get(ssc);
            return a == null ? null : a.context;
        }
    }

    private static final class Attachment {
        final DriverContext context;
        final SluiceStreamingListener listener;

        Attachment(DriverContext context, SluiceStreamingListener listener) {
            this.context = context;
            this.listener = listener;
        }
    }
}
