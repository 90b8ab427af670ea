package dev.sluice.kafka.driver;

import java.lang.reflect.Method;

/**
 * The user's per-partition limits, read from the stream's own {@code PerPartitionConfig} (Spark's default one reads
 * {@code spark.streaming.kafka.maxRatePerPartition} and {@code minRatePerPartition}; an application may pass its own).
 * Called reflectively through the public abstract class {@code org.apache.spark.streaming.kafka010.PerPartitionConfig}
 * (public in every connector checked: 3.5.1/2.12, 4.2.0/2.13), found from the instance so that a connector in a child
 * class loader works.
 */
final class PartitionRates {

    private static final String PER_PARTITION_CONFIG = KafkaDirectSupport.PER_PARTITION_CONFIG_CLASS;

    private final Object config;
    private final Method max;
    private final Method min;

    PartitionRates(Object config, Class<?> topicPartitionClass) throws NoSuchMethodException {
        this.config = config;
        Class<?> declaring = config.getClass();
        while (declaring != null && !declaring.getName().equals(PER_PARTITION_CONFIG)) {
            declaring = declaring.getSuperclass();
        }
        if (declaring == null) {
            throw new NoSuchMethodException(config.getClass().getName() + " does not extend " + PER_PARTITION_CONFIG);
        }
        this.max = declaring.getMethod("maxRatePerPartition", topicPartitionClass);
        this.min = declaring.getMethod("minRatePerPartition", topicPartitionClass);
    }

    /** The user's cap in records/s for this partition, ≤ 0 for none. */
    long maxPerSecond(Object topicPartition) throws Exception {
        return ((Number) max.invoke(config, topicPartition)).longValue();
    }

    /** Spark's floor for a partition, in records per batch (it applies it as a count; default 1). */
    long minPerBatch(Object topicPartition) throws Exception {
        return ((Number) min.invoke(config, topicPartition)).longValue();
    }
}
