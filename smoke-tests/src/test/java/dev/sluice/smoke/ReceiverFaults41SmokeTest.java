package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 4.1.0, Scala 2.13. */
class ReceiverFaults41SmokeTest extends AbstractReceiverFaultsSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_4_1;
    }
}
