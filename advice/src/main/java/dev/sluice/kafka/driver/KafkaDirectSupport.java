package dev.sluice.kafka.driver;

/**
 * Whether Sluice manages Kafka direct streams in this JVM: set by the agent once its start-up check has found the
 * connector's classes as expected, in the class loader that loads them. References no Spark or Kafka type, so the agent
 * can call it anywhere.
 */
public final class KafkaDirectSupport {

    /** The connector's stream class, matched by name (the connector is optional and may sit in a child loader). */
    public static final String DIRECT_STREAM_CLASS = "org.apache.spark.streaming.kafka010.DirectKafkaInputDStream";
    /** The connector's per-partition limits, whose rates the planning reads by reflection. */
    public static final String PER_PARTITION_CONFIG_CLASS = "org.apache.spark.streaming.kafka010.PerPartitionConfig";

    private static volatile boolean enabled;

    private KafkaDirectSupport() {
    }

    public static void enable() {
        enabled = true;
    }

    public static boolean enabled() {
        return enabled;
    }
}
