package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 3.5.7 / Scala 2.12 with spark-streaming-kafka-0-10_2.12 3.5.1 (Maven Central serves no 3.5.7 connector). */
class KafkaDirect35SmokeTest extends AbstractKafkaDirectSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Override
    String connectorVersion() {
        return "3.5.1";
    }

    @Override
    boolean sparkBackpressureInSluiceRun() {
        return false;
    }
}
