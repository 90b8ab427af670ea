package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Sluice's meters in Spark's metrics system: Spark 3.5.7, Scala 2.12. */
class Spark35MetricsSmokeTest extends AbstractMetricsSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }
}
