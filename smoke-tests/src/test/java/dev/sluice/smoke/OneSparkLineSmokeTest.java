package dev.sluice.smoke;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkHomes;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Smoke tests that run one Spark line: before any test, the agent and examples jars must exist (a clear failure
 * otherwise) and the line's Spark home is assembled from Maven Central, or taken from the cache.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OneSparkLineSmokeTest {

    SparkHome home;

    abstract SparkVersion version();

    @BeforeAll
    final void sparkHome() {
        SmokeEnv.agentJar();
        SmokeEnv.examplesJar();
        home = SparkHomes.resolve(version());
    }
}
