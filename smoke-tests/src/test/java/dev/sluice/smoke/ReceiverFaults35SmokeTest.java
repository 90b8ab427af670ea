package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 3.5.7, Scala 2.12. */
class ReceiverFaults35SmokeTest extends AbstractReceiverFaultsSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }
}
