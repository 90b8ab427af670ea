package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.SparkHome;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** How the test bed and the smoke tests launch a Structured Streaming job of the examples jar. */
public final class SqlLaunch {

    private SqlLaunch() {
    }

    /**
     * A job on local-cluster[2,1,1024]: two cores, two shuffle partitions, the checkpoint under the run, all executors
     * registered before it starts.
     *
     * @param agent the agent as a user attaches it, or null for stock Spark
     */
    public static LaunchSpec.Builder builder(SparkHome home, Path appJar, List<Path> extraClassPath, String mainClass,
                                             Path checkpoint, int seconds, Path runDir, AgentAttachment agent) {
        LaunchSpec.Builder b = LaunchSpec.builder().home(home).appJar(appJar)
                .extraClassPath(extraClassPath)
                .mainClass(mainClass)
                .localCluster(2, 1, 1024).executorMemory("512m").driverMemory("1g")
                .conf("spark.cores.max", "2")
                .conf("spark.sql.shuffle.partitions", "2")
                .conf("spark.sql.streaming.checkpointLocation", checkpoint.toString())
                .conf("spark.ui.enabled", "false")
                .conf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .conf("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .timeout(Duration.ofSeconds(seconds + 150)).runDir(runDir);
        if (agent != null) {
            b.agent(agent.requireJar());
        }
        return b;
    }
}
