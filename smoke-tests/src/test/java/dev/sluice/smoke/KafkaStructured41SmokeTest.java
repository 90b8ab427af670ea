package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 4.1.0 / Scala 2.13 with spark-sql-kafka-0-10_2.13 4.1.0 (its spark-token-provider-kafka-0-10 4.1.0 is not
 * served by Maven Central here: 4.1.1's is used). */
class KafkaStructured41SmokeTest extends AbstractKafkaStructuredSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_4_1;
    }

    @Override
    String tokenProviderVersion() {
        return "4.1.1";
    }
}
