package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/**
 * The overload smoke tests on the Spark line named by {@code -Dsluice.spark.line} (e.g. {@code 3.4.4/2.12}). Not part of
 * the default build: the {@code spark-matrix} profile runs it once per supported line (see this module's README).
 */
class SparkLineSmokeTest extends AbstractOverloadSmokeTest {

    @Override
    SparkVersion version() {
        return line(getClass());
    }

    /** The line {@code -Dsluice.spark.line} names; a clear failure when it names none. */
    static SparkVersion line(Class<?> test) {
        String line = System.getProperty("sluice.spark.line");
        if (line == null || line.isBlank()) {
            throw new IllegalStateException(test.getSimpleName() + " needs -Dsluice.spark.line=<version>[/<scala>]; "
                    + "run it through the spark-matrix profile");
        }
        return SparkVersion.parse(line);
    }
}
