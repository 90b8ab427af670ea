package dev.sluice.smoke;

import java.nio.file.Path;

import dev.sluice.testbed.cluster.SparkHome;

/**
 * {@link AbstractStandaloneSmokeTest} on one machine's loopback: a Master and one Worker (5 cores, 3 GB) on
 * {@code 127.0.0.1}, the Worker's executors and cluster-mode driver next to them.
 */
class StandaloneClusterSmokeTest extends AbstractStandaloneSmokeTest {

    @Override
    StandaloneCluster startCluster(SparkHome cached, Path dir) {
        // 4 cores for two 2-core executors (as local-cluster[2,2,1024] in the other tests), 1 for a cluster-mode driver.
        return StandaloneCluster.start(cached, dir, 5, "3g");
    }

    @Override
    String name() {
        return "standalone";
    }
}
