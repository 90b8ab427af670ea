package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Sluice's meters in Spark's metrics system: Spark 4.1.0, Scala 2.13. */
class Spark41MetricsSmokeTest extends AbstractMetricsSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_4_1;
    }
}
