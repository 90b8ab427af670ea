package dev.sluice.agent;

import dev.sluice.receiver.advice.CreateBlockGeneratorAdvice;
import dev.sluice.receiver.advice.GetCurrentLimitAdvice;
import dev.sluice.receiver.advice.RateControllerPublishAdvice;
import dev.sluice.receiver.advice.ReceiverStartAdvice;
import dev.sluice.receiver.advice.ReceiverStopAdvice;
import dev.sluice.receiver.advice.StoreArrayBufferAdvice;
import dev.sluice.receiver.advice.StoreArrayBufferWithMetadataAdvice;
import dev.sluice.receiver.advice.StoreByteBufferAdvice;
import dev.sluice.receiver.advice.StoreByteBufferWithMetadataAdvice;
import dev.sluice.receiver.advice.StoreJavaIteratorAdvice;
import dev.sluice.receiver.advice.StoreJavaIteratorWithMetadataAdvice;
import dev.sluice.receiver.advice.StoreScalaIteratorAdvice;
import dev.sluice.receiver.advice.StoreScalaIteratorWithMetadataAdvice;
import dev.sluice.receiver.advice.StoreSingleAdvice;
import dev.sluice.receiver.advice.StreamingContextStartAdvice;
import dev.sluice.receiver.advice.StreamingContextStopAdvice;
import dev.sluice.receiver.advice.UpdateRateAdvice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every Spark method Sluice advises, with its descriptor (verified with {@code javap -s -p} on spark-streaming 3.5.7/2.12
 * and 4.1.0/2.13; identical in 3.4 → 4.1). The AgentBuilder reads this list; the start-up check reads the reference file
 * generated from it and from everything else the advice and runtime reference in Spark
 * ({@link dev.sluice.agent.references.Areas#RECEIVER}).
 */
public final class Hooks {

    static final String RECEIVER = "org.apache.spark.streaming.receiver.Receiver";
    static final String RATE_LIMITER = "org.apache.spark.streaming.receiver.RateLimiter";
    static final String SUPERVISOR = "org.apache.spark.streaming.receiver.ReceiverSupervisor";
    static final String SUPERVISOR_IMPL = "org.apache.spark.streaming.receiver.ReceiverSupervisorImpl";
    static final String STREAMING_CONTEXT = "org.apache.spark.streaming.StreamingContext";
    static final String RATE_CONTROLLER = "org.apache.spark.streaming.dstream.ReceiverInputDStream$ReceiverRateController";

    public static final List<HookPoint> ALL = Collections.unmodifiableList(Arrays.asList(
            // Enforce: every record a receiver stores passes one of these (declaring class Receiver).
            new HookPoint(RECEIVER, "store", "(Ljava/lang/Object;)V", StoreSingleAdvice.class),
            new HookPoint(RECEIVER, "store", "(Lscala/collection/mutable/ArrayBuffer;)V", StoreArrayBufferAdvice.class),
            new HookPoint(RECEIVER, "store", "(Lscala/collection/mutable/ArrayBuffer;Ljava/lang/Object;)V",
                    StoreArrayBufferWithMetadataAdvice.class),
            new HookPoint(RECEIVER, "store", "(Lscala/collection/Iterator;)V", StoreScalaIteratorAdvice.class),
            new HookPoint(RECEIVER, "store", "(Lscala/collection/Iterator;Ljava/lang/Object;)V",
                    StoreScalaIteratorWithMetadataAdvice.class),
            new HookPoint(RECEIVER, "store", "(Ljava/util/Iterator;)V", StoreJavaIteratorAdvice.class),
            new HookPoint(RECEIVER, "store", "(Ljava/util/Iterator;Ljava/lang/Object;)V",
                    StoreJavaIteratorWithMetadataAdvice.class),
            new HookPoint(RECEIVER, "store", "(Ljava/nio/ByteBuffer;)V", StoreByteBufferAdvice.class),
            new HookPoint(RECEIVER, "store", "(Ljava/nio/ByteBuffer;Ljava/lang/Object;)V",
                    StoreByteBufferWithMetadataAdvice.class),
            // Learn: the bound arrives over Spark's RPC into RateLimiter.updateRate (declaring class, this = BlockGenerator).
            new HookPoint(RATE_LIMITER, "updateRate", "(J)V", UpdateRateAdvice.class),
            // Report: a receiver asking Spark for its limit sees Sluice's bound.
            new HookPoint(RATE_LIMITER, "getCurrentLimit", "()J", GetCurrentLimitAdvice.class),
            // Kinesis pattern: a receiver with its own BlockGenerator keeps Spark's limiter.
            new HookPoint(SUPERVISOR_IMPL, "createBlockGenerator",
                    "(Lorg/apache/spark/streaming/receiver/BlockGeneratorListener;)"
                            + "Lorg/apache/spark/streaming/receiver/BlockGenerator;", CreateBlockGeneratorAdvice.class),
            // Lifecycle (declaring class ReceiverSupervisor): each start/restart begins a new incarnation of the
            // stream's executor state, each stop retires it and ends its throttle waits.
            new HookPoint(SUPERVISOR, "startReceiver", "()V", ReceiverStartAdvice.class),
            new HookPoint(SUPERVISOR, "stopReceiver", "(Ljava/lang/String;Lscala/Option;)V",
                    ReceiverStopAdvice.class),
            // Measure: register the driver's listener when a StreamingContext starts.
            new HookPoint(STREAMING_CONTEXT, "start", "()V", StreamingContextStartAdvice.class),
            // Lifecycle: stop(Z), the shutdown hook and JavaStreamingContext all end in stop(ZZ); detach there.
            new HookPoint(STREAMING_CONTEXT, "stop", "(ZZ)V", StreamingContextStopAdvice.class),
            // One controller in charge: with Spark's back-pressure on, Spark's publication for a stream is skipped once
            // Sluice has a bound for it.
            new HookPoint(RATE_CONTROLLER, "publish", "(J)V", RateControllerPublishAdvice.class)));

    private Hooks() {
    }

    public static Set<String> classNames() {
        Set<String> names = new LinkedHashSet<>();
        for (HookPoint h : ALL) {
            names.add(h.className);
        }
        return names;
    }

    public static List<HookPoint> of(String className) {
        List<HookPoint> out = new ArrayList<>();
        for (HookPoint h : ALL) {
            if (h.className.equals(className)) {
                out.add(h);
            }
        }
        return out;
    }
}
