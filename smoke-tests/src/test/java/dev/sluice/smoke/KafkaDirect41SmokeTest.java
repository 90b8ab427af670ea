package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Spark 4.1.0 / Scala 2.13 with spark-streaming-kafka-0-10_2.13 4.2.0 (Maven Central serves no 4.1.x connector). The
 * Sluice run sets spark.streaming.backpressure.enabled=true, as users of Spark's PID do: Sluice must take over.
 */
class KafkaDirect41SmokeTest extends AbstractKafkaDirectSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_4_1;
    }

    @Override
    String connectorVersion() {
        return "4.2.0";
    }

    @Override
    boolean sparkBackpressureInSluiceRun() {
        return true;
    }
}
