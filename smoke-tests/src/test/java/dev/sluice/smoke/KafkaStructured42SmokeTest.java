package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Spark 4.2.0 / Scala 2.13 with spark-sql-kafka-0-10_2.13 4.2.0: the restart mid-batch, which Spark 4.1 cannot show
 * ({@link SparkKafkaMetricsBug}, fixed in 4.2.0), and any other Kafka test of the abstract class by name.
 */
class KafkaStructured42SmokeTest extends AbstractKafkaStructuredSmokeTest {

    static final SparkVersion SPARK_4_2 = SparkVersion.parse("4.2.0/2.13");

    @Override
    SparkVersion version() {
        return SPARK_4_2;
    }

    @Override
    String tokenProviderVersion() {
        return null;
    }
}
