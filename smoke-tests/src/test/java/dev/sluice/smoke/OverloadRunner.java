package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.DriverProcess;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;

/**
 * Runs the examples' OverloadJob on local-cluster with two receivers (stream 0: store(single), stream 1:
 * store(Iterator)) and, optionally, the agent configured through {@code config=<abs sluice.properties>}.
 */
final class OverloadRunner {

    /** Stream ids: the job creates one receiver per entry of {@code receivers}, in order. */
    static final int SINGLE = 0;
    static final int ITERATOR = 1;
    static final int STREAMS = 2;

    /**
     * Offered per receiver. Capacity measured here with 500 us of busy work per record on the two cores left to tasks
     * (each receiver holds one of the four executor cores) was about 1 500-2 000 records/s for both streams together,
     * so 5 000/s per receiver is about 5x what the job processes.
     */
    static final long RATE_PER_RECEIVER = 5000;
    static final int WORK_MICROS = 500;
    static final long BATCH_MS = 1000;
    /** The iterator receiver stores one chunk per 100 ms: each store(Iterator) call is one Spark block. */
    static final long CHUNK_MS = 100;
    static final long CHUNK_RECORDS = RATE_PER_RECEIVER * CHUNK_MS / 1000;

    /** Records that arrive in Spark together, indivisibly: one bulk store call on the iterator stream. */
    static long indivisible(int stream) {
        return stream == ITERATOR ? CHUNK_RECORDS : 0;
    }

    private OverloadRunner() {
    }

    /** A run with the agent when {@code sluiceProperties} is non-null, stock Spark otherwise. */
    static OverloadRunData run(SparkHome home, String name, int durationSeconds,
                               Map<String, String> sluiceProperties) {
        return run(home, name, durationSeconds, RATE_PER_RECEIVER, sluiceProperties);
    }

    /** As {@link #run(SparkHome, String, int, Map)} with another offered rate per receiver. */
    static OverloadRunData run(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                               Map<String, String> sluiceProperties) {
        return run(home, name, durationSeconds, ratePerReceiver, sluiceProperties, Map.of(), false, List.of(), NO_CUSTOMIZING, NOTHING_WHILE_RUNNING);
    }

    /** As {@link #run(SparkHome, String, int, long, Map)} with more of the job's {@code key=value} arguments. */
    static OverloadRunData run(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                               Map<String, String> sluiceProperties, List<String> extraAppArgs) {
        return run(home, name, durationSeconds, ratePerReceiver, sluiceProperties, Map.of(), false, extraAppArgs, NO_CUSTOMIZING, NOTHING_WHILE_RUNNING);
    }

    /** As {@link #run(SparkHome, String, int, long, Map)} with Spark configuration of the user's own. */
    static OverloadRunData run(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                               Map<String, String> sluiceProperties, Map<String, String> sparkConf) {
        return run(home, name, durationSeconds, ratePerReceiver, sluiceProperties, sparkConf, false, List.of(), NO_CUSTOMIZING, NOTHING_WHILE_RUNNING);
    }

    /**
     * The agent configured only through Spark's configuration: {@code -javaagent:<abs jar>} without arguments on the
     * driver and in {@code spark.executor.extraJavaOptions}, no file, and every Sluice key given as
     * {@code spark.<key>} in SparkConf (what {@code --conf spark.sluice.strategy=drop} gives). The driver receives them
     * as {@code -Dspark.*} system properties (as a cluster-mode driver does); executors only through the configuration
     * they fetch from the driver.
     */
    static OverloadRunData runConfiguredBySparkConf(SparkHome home, String name, int durationSeconds,
                                                    Map<String, String> sluiceProperties) {
        return run(home, name, durationSeconds, RATE_PER_RECEIVER, sluiceProperties, Map.of(), true, List.of(), NO_CUSTOMIZING, NOTHING_WHILE_RUNNING);
    }

    /**
     * As {@link #run(SparkHome, String, int, long, Map)}; {@code customize} adjusts the launch (Spark properties, where
     * the agent goes) and {@code whileRunning} is called on the test thread once the driver has started (to scrape it).
     */
    static OverloadRunData run(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                               Map<String, String> sluiceProperties, Consumer<LaunchSpec.Builder> customize,
                               Consumer<DriverProcess> whileRunning) {
        return run(home, name, durationSeconds, ratePerReceiver, sluiceProperties, Map.of(), false, List.of(),
                customize, whileRunning);
    }

    private static final Consumer<LaunchSpec.Builder> NO_CUSTOMIZING = b -> { };
    private static final Consumer<DriverProcess> NOTHING_WHILE_RUNNING = driver -> { };

    /**
     * {@code receivers} receivers storing single records ({@code store(record)}), their streams processed as one union
     * (one Spark job per batch), on local-cluster[2, {@code coresPerWorker}, 1024]: each receiver holds one core
     * (a task slot, not a CPU), so the slots beyond the receivers are what processes the batches; each batch is
     * coalesced to that many partitions (one task per free slot instead of one per block).
     */
    static OverloadRunData runSingleReceivers(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                                              int receivers, int coresPerWorker, Map<String, String> sluiceProperties) {
        return runSingleReceivers(home, name, durationSeconds, ratePerReceiver, receivers, coresPerWorker,
                sluiceProperties, Map.of(), NO_CUSTOMIZING, NOTHING_WHILE_RUNNING);
    }

    /** As {@link #runSingleReceivers(SparkHome, String, int, long, int, int, Map)} with Spark configuration, launch
     * adjustments and a call on the test thread while the driver runs (see {@link #run(SparkHome, String, int, long,
     * Map, Consumer, Consumer)}). */
    static OverloadRunData runSingleReceivers(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                                              int receivers, int coresPerWorker, Map<String, String> sluiceProperties,
                                              Map<String, String> sparkConf, Consumer<LaunchSpec.Builder> customize,
                                              Consumer<DriverProcess> whileRunning) {
        String modes = String.join(",", java.util.Collections.nCopies(receivers, "single"));
        return run(home, name, durationSeconds, ratePerReceiver, sluiceProperties, sparkConf, false,
                List.of("receivers=" + modes, "union=true", "partitions=" + (2 * coresPerWorker - receivers)),
                b -> {
                    b.localCluster(2, coresPerWorker, 1024);
                    customize.accept(b);
                }, whileRunning, receivers, true);
    }

    private static OverloadRunData run(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                                       Map<String, String> sluiceProperties, Map<String, String> sparkConf,
                                       boolean viaSparkConf, List<String> extraAppArgs,
                                       Consumer<LaunchSpec.Builder> customize, Consumer<DriverProcess> whileRunning) {
        return run(home, name, durationSeconds, ratePerReceiver, sluiceProperties, sparkConf, viaSparkConf,
                extraAppArgs, customize, whileRunning, STREAMS, false);
    }

    private static OverloadRunData run(SparkHome home, String name, int durationSeconds, long ratePerReceiver,
                                       Map<String, String> sluiceProperties, Map<String, String> sparkConf,
                                       boolean viaSparkConf, List<String> extraAppArgs,
                                       Consumer<LaunchSpec.Builder> customize, Consumer<DriverProcess> whileRunning,
                                       int streams, boolean allSingle) {
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve(name);
        try {
            deleteRecursively(runDir);
            Files.createDirectories(runDir);
            Path out = runDir.resolve("job-out");
            Path metrics = runDir.resolve("metrics");
            Files.createDirectories(out);
            LaunchSpec.Builder b = LaunchSpec.builder().home(home).appJar(SmokeEnv.examplesJar())
                    .mainClass("dev.sluice.examples.overload.OverloadJob")
                    .appArgs("out=" + out, "duration=" + durationSeconds, "rate=" + ratePerReceiver,
                            "workMicros=" + WORK_MICROS, "batchMs=" + BATCH_MS, "receivers=single,iterator",
                            "chunkMs=" + CHUNK_MS).addAppArgs(extraAppArgs.toArray(new String[0]))
                    .localCluster(2, 2, 1024).executorMemory("512m").driverMemory("1g")
                    .conf("spark.streaming.blockInterval", "200ms")
                    // Startup on a busy 2-core machine took up to 40 s; a stop after a timeout is a failure anyway.
                    .timeout(Duration.ofSeconds(durationSeconds + 150)).runDir(runDir);
            sparkConf.forEach(b::conf);
            if (sluiceProperties != null) {
                Files.createDirectories(metrics);
                Map<String, String> props = new LinkedHashMap<>(sluiceProperties);
                props.putIfAbsent("sluice.metrics.file", metrics.toString());
                if (viaSparkConf) {
                    props.forEach((k, v) -> b.conf("spark." + k, v));
                    b.agent(new AgentAttachment(SmokeEnv.agentJar(), "").requireJar());
                } else {
                    Path config = runDir.resolve("sluice.properties");
                    List<String> lines = new ArrayList<>();
                    props.forEach((k, v) -> lines.add(k + "=" + v));
                    Files.write(config, lines, StandardCharsets.UTF_8);
                    b.agent(AgentAttachment.withConfigFile(SmokeEnv.agentJar(), config).requireJar());
                }
            }
            customize.accept(b);
            long t0 = System.currentTimeMillis();
            RunResult result;
            try (DriverProcess driver = ClusterJobLauncher.start(b.build())) {
                whileRunning.accept(driver);
                result = driver.await();
            }
            System.out.printf("[smoke] %s/%s: %s (%.0f s)%n", home.version(), name, result,
                    (System.currentTimeMillis() - t0) / 1000.0);
            return new OverloadRunData(result, out, sluiceProperties == null ? null : metrics, streams, allSingle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
