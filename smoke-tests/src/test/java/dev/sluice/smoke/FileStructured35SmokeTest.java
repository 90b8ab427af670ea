package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 3.5.7 / Scala 2.12: the file source in {@code org.apache.spark.sql.execution.streaming}. */
class FileStructured35SmokeTest extends AbstractFileStructuredSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Override
    String tokenProviderVersion() {
        return null;
    }
}
