package dev.sluice.testbed.run;

import dev.sluice.testbed.cluster.SparkHome;

import java.nio.file.Path;
import java.util.List;

/**
 * What every run of one command shares: Spark home, jars, cluster shape, batch interval, work base, storage level.
 *
 * @param streams receiver kinds in stream-id order: {@code socket} (Spark's socketTextStream, store(single)) and
 *                {@code bulk} (custom receiver, store(Iterator))
 */
public record RunSettings(SparkHome home, Path appJar, Path agentJar, Path out, double timeScale, long batchMs,
                          int hanoiBase, String storageLevel, List<String> streams, int workers, int coresPerWorker,
                          int workerMemoryMb, String executorMemory, long drainMs, long warmupMs,
                          boolean progressToTerminal) {

    public static final List<String> DEFAULT_STREAMS = List.of("socket", "bulk");

    /** The same settings with streams starting on cold executors ({@code warmupMs} 0). */
    public RunSettings cold() {
        return new RunSettings(home, appJar, agentJar, out, timeScale, batchMs, hanoiBase, storageLevel, streams, workers,
                coresPerWorker, workerMemoryMb, executorMemory, drainMs, 0, progressToTerminal);
    }

    /** The cluster part of the capacity cache key. */
    public String clusterKey() {
        return "lc-" + workers + "x" + coresPerWorker + "-" + executorMemory + "-" + String.join("+", streams)
                + "-b" + batchMs + "-w" + warmupMs / 1000;
    }
}
