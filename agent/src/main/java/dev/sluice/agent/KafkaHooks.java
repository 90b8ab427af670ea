package dev.sluice.agent;

import dev.sluice.kafka.advice.MaxMessagesPerPartitionAdvice;
import dev.sluice.kafka.driver.KafkaDirectSupport;

import java.util.Collections;
import java.util.List;

/**
 * The Kafka direct-stream area's hook (verified with {@code javap -p -s} on spark-streaming-kafka-0-10_2.12 3.5.1 and
 * _2.13 4.2.0: identical). What else the area needs from the connector, Spark and Scala is generated from its code
 * ({@link dev.sluice.agent.references.Areas#KAFKA_DIRECT}). Kept apart from {@link Hooks} because the connector is
 * optional: it is checked on its own, in the class loader that loads it ({@link KafkaInstall}), and a missing or
 * different connector leaves only this area unmanaged.
 */
public final class KafkaHooks {

    public static final String DIRECT_STREAM = KafkaDirectSupport.DIRECT_STREAM_CLASS;

    public static final List<HookPoint> ALL = Collections.singletonList(
            // Enforce at planning: Spark's records per partition for the next batch, replaced by Sluice's plan.
            new HookPoint(DIRECT_STREAM, "maxMessagesPerPartition", "(Lscala/collection/immutable/Map;)Lscala/Option;",
                    MaxMessagesPerPartitionAdvice.class));

    private KafkaHooks() {
    }
}
