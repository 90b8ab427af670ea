package dev.sluice.receiver.driver;

import org.apache.spark.SparkConf;
import org.apache.spark.streaming.dstream.InputDStream;

import java.util.ArrayList;
import java.util.List;

/** The driver-log warnings about what Sluice finds at a StreamingContext, worded for the person reading the log. */
final class DriverWarnings {

    private DriverWarnings() {
    }

    /** A StreamingContext with no receiver input stream: nothing for Sluice to govern. */
    static String noReceiverStreams(InputDStream<?>[] inputs) {
        List<String> found = new ArrayList<String>();
        for (InputDStream<?> in : inputs) {
            found.add(in.getClass().getName() + " (id " + in.id() + ")");
        }
        return "this StreamingContext has no receiver-based input stream, so Sluice governs none of its streams; "
                + "input streams found: " + (found.isEmpty() ? "none" : found.toString()) + ". Sluice acts on "
                + "Receiver.store; direct streams (Kafka 0-10 direct, files, queues) are limited by Spark's own "
                + "settings (spark.streaming.backpressure.enabled, spark.streaming.kafka.maxRatePerPartition)";
    }

    /** What the driver's SparkConf says about the executors' agent, appended to the unenforced-bound warning. */
    static String executorAgentHint(SparkConf conf) {
        String opts = conf.get("spark.executor.extraJavaOptions", "") + " "
                + conf.get("spark.executor.defaultJavaOptions", "") + " "
                + conf.get("spark.executorEnv.JAVA_TOOL_OPTIONS", "");
        return opts.contains("-javaagent:")
                ? " (the executors' Java options do name a -javaagent: check its path on the executor hosts and the "
                        + "executor logs for Sluice's start line)"
                : " (spark.executor.extraJavaOptions, spark.executor.defaultJavaOptions and "
                        + "spark.executorEnv.JAVA_TOOL_OPTIONS name no -javaagent: add "
                        + "-javaagent:/abs/path/sluice-agent.jar to spark.executor.extraJavaOptions)";
    }
}
