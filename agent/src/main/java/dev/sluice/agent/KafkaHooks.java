package dev.sluice.agent;

import dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice;
import dev.sluice.kafka.driver.KafkaDirectSupport;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The Kafka direct-stream area: its hook, the fields the advice binds and the members its runtime calls (verified with
 * {@code javap -p -s} on spark-streaming-kafka-0-10_2.12 3.5.1 and _2.13 4.2.0: identical). Kept apart from
 * {@link Hooks} because the connector is optional: it is checked on its own, in the class loader that loads it, and a
 * missing or different connector leaves only this area unmanaged.
 */
public final class KafkaHooks {

    static final String DIRECT_STREAM = KafkaDirectSupport.DIRECT_STREAM_CLASS;
    static final String PER_PARTITION_CONFIG = "org.apache.spark.streaming.kafka010.PerPartitionConfig";
    static final String SCALA_MAP = "Lscala/collection/immutable/Map;";

    public static final List<HookPoint> ALL = Collections.singletonList(
            // Enforce at planning: Spark's records per partition for the next batch, replaced by Sluice's plan.
            new HookPoint(DIRECT_STREAM, "maxMessagesPerPartition", "(" + SCALA_MAP + ")Lscala/Option;",
                    MaxMessagesPerPartitionAdvice.class));

    /** Fields the advice binds with {@code @Advice.FieldValue}: {class, field, descriptor}. */
    public static final List<String[]> FIELDS = Collections.unmodifiableList(Arrays.asList(
            new String[] {DIRECT_STREAM, "currentOffsets", SCALA_MAP},
            new String[] {DIRECT_STREAM, "ppc", "Lorg/apache/spark/streaming/kafka010/PerPartitionConfig;"}));

    /** Members the runtime calls: {class, method, descriptor} (declared on that class or a superclass). */
    public static final List<String[]> CALLED = Collections.unmodifiableList(Arrays.asList(
            new String[] {PER_PARTITION_CONFIG, "maxRatePerPartition", "(Lorg/apache/kafka/common/TopicPartition;)J"},
            new String[] {PER_PARTITION_CONFIG, "minRatePerPartition", "(Lorg/apache/kafka/common/TopicPartition;)J"},
            new String[] {DIRECT_STREAM, "id", "()I"},
            new String[] {DIRECT_STREAM, "context", "()Lorg/apache/spark/streaming/StreamingContext;"},
            new String[] {"org.apache.spark.streaming.StreamingContext", "graph",
                    "()Lorg/apache/spark/streaming/DStreamGraph;"},
            new String[] {"org.apache.spark.streaming.StreamingContext", "conf", "()Lorg/apache/spark/SparkConf;"},
            new String[] {"org.apache.spark.streaming.DStreamGraph", "batchDuration",
                    "()Lorg/apache/spark/streaming/Duration;"},
            new String[] {"org.apache.spark.streaming.DStreamGraph", "getInputStreams",
                    "()[Lorg/apache/spark/streaming/dstream/InputDStream;"}));

    private KafkaHooks() {
    }

    /** Null when every hook, field and called member is as expected in {@code pool}; else the first problem. */
    static String check(TypePool pool) {
        for (HookPoint hook : ALL) {
            TypeDescription type = resolve(pool, hook.className);
            if (type == null) {
                return "class " + hook.className + " not found";
            }
            if (!SparkCompatibility.declares(type, hook.methodName, hook.descriptor)) {
                return "method " + hook + " not found";
            }
        }
        for (String[] field : FIELDS) {
            TypeDescription type = resolve(pool, field[0]);
            if (type == null || !declaresField(type, field[1], field[2])) {
                return "field " + field[0] + "." + field[1] + " (" + field[2] + ") not found";
            }
        }
        for (String[] called : CALLED) {
            TypeDescription type = resolve(pool, called[0]);
            if (type == null || !declaresInHierarchy(type, called[1], called[2])) {
                return "method " + called[0] + "." + called[1] + called[2] + " not found";
            }
        }
        return null;
    }

    private static TypeDescription resolve(TypePool pool, String name) {
        TypePool.Resolution r = pool.describe(name);
        return r.isResolved() ? r.resolve() : null;
    }

    private static boolean declaresField(TypeDescription type, String name, String descriptor) {
        for (FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
            if (f.getName().equals(name) && f.getDescriptor().equals(descriptor)) {
                return true;
            }
        }
        return false;
    }

    private static boolean declaresInHierarchy(TypeDescription type, String name, String descriptor) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            if (SparkCompatibility.declares(t.asErasure(), name, descriptor)) {
                return true;
            }
        }
        return false;
    }
}
