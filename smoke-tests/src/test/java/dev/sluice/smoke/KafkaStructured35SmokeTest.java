package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 3.5.7 / Scala 2.12 with spark-sql-kafka-0-10_2.12 3.5.7. */
class KafkaStructured35SmokeTest extends AbstractKafkaStructuredSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Override
    String tokenProviderVersion() {
        return null;
    }
}
