package dev.sluice.testbed.cluster;

import java.nio.file.Path;

/**
 * The three ways a job is compared: stock Spark, Spark's built-in back-pressure, and Sluice with a configuration.
 * Each derives a variant of one base spec, with its own run directory, so the modes run side by side on equal terms.
 */
public final class Modes {

    private Modes() {
    }

    /** Stock Spark: no agent, no back-pressure. */
    public static LaunchSpec stock(LaunchSpec base, Path runDir) {
        return base.toBuilder().noAgent().removeConf("spark.streaming.backpressure.enabled")
                .removeConf("spark.streaming.backpressure.initialRate").runDir(runDir).build();
    }

    /** Spark's built-in back-pressure; {@code initialRate <= 0} leaves Spark's default (none). */
    public static LaunchSpec sparkBackpressure(LaunchSpec base, Path runDir, long initialRate) {
        LaunchSpec.Builder b = base.toBuilder().noAgent().conf("spark.streaming.backpressure.enabled", "true")
                .runDir(runDir);
        if (initialRate > 0) {
            b.conf("spark.streaming.backpressure.initialRate", Long.toString(initialRate));
        }
        return b.build();
    }

    /**
     * Spark's built-in back-pressure tuned to a known capacity: {@code spark.streaming.backpressure.initialRate} and
     * {@code spark.streaming.receiver.maxRate} (both per receiver, records/s) set to {@code perReceiverRate}.
     */
    public static LaunchSpec sparkTuned(LaunchSpec base, Path runDir, long perReceiverRate) {
        return sparkBackpressure(base, runDir, perReceiverRate).toBuilder()
                .conf("spark.streaming.receiver.maxRate", Long.toString(perReceiverRate)).build();
    }

    /** Sluice: the agent on the driver and every executor, with {@code config=<abs file>} as a user gives it. */
    public static LaunchSpec sluice(LaunchSpec base, Path runDir, Path agentJar, Path configFile) {
        return base.toBuilder().agent(AgentAttachment.withConfigFile(agentJar, configFile).requireJar())
                .runDir(runDir).build();
    }
}
