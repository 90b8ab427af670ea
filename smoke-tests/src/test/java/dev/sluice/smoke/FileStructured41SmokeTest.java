package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/** Spark 4.1.0 / Scala 2.13: the file source in {@code org.apache.spark.sql.execution.streaming.runtime}. */
class FileStructured41SmokeTest extends AbstractFileStructuredSmokeTest {

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_4_1;
    }

    @Override
    String tokenProviderVersion() {
        return "4.1.1";
    }
}
