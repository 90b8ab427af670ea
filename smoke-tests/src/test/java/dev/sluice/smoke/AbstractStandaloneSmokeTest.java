package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkHomes;

/**
 * The README's recipe on a real Spark standalone cluster: a Master and Worker JVMs started from the Spark home, the
 * overload example job submitted with {@code spark-submit} (Spark's launcher, as {@code bin/spark-submit} runs it) in
 * client and in cluster deploy mode, the agent given in {@code spark.driver.extraJavaOptions} and
 * {@code spark.executor.extraJavaOptions} with an absolute path. Executors (and the cluster-mode driver) are JVMs a
 * Worker starts, in its own work directory, as on any standalone cluster. Each run must show the agent's start line in
 * the driver's and in the executors' logs and the drop strategy holding the bound (the local-cluster tests' judgement).
 *
 * <p>The third case is the README's warning: {@code --files} with a relative {@code -javaagent} name does not work on
 * standalone, because an executor fetches {@code --files} only after its JVM started, and that JVM cannot start.
 * One Spark line (3.5.7) keeps the cost of CI down. Subclasses say where the cluster runs: on loopback
 * ({@link StandaloneClusterSmokeTest}) or with each Worker in a network namespace ({@link NamespacedStandaloneSmokeTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractStandaloneSmokeTest {

    static final String VERSION = "3.5.7";
    static final int RUN_SECONDS = 70;
    static final String AGENT_NAME_IN_README = "sluice-agent-0.1.0-SNAPSHOT.jar";

    SparkHome cached;
    StandaloneCluster cluster;

    /** Starts this variant's cluster under {@code dir} (may abort the class with a JUnit assumption). */
    abstract StandaloneCluster startCluster(SparkHome cached, Path dir);

    /** The directory of this variant's runs under {@code smoke-runs/}, and its label in figures. */
    abstract String name();

    /** Releases what {@link #startCluster} made besides the cluster (after the cluster stopped). */
    void releaseEnvironment() {
    }

    /** Called before each submission starts. */
    void submissionStarting() {
    }

    /** Called about once a second while a submission runs. */
    void whileRunning() {
    }

    /** Checks of a completed run that depend on where the cluster runs; {@code client}: the deploy mode. */
    void judgePlacement(OverloadRunData d, boolean client) {
    }

    @BeforeAll
    void cluster() {
        SmokeEnv.agentJar();
        SmokeEnv.examplesJar();
        cached = SparkHomes.resolve(VERSION);
        cluster = startCluster(cached, runsRoot().resolve("master-worker"));
    }

    @AfterAll
    void stopCluster() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            releaseEnvironment();
        }
    }

    Path runsRoot() {
        return SmokeEnv.runsDir().resolve(name() + "-" + VERSION);
    }

    @Test
    void clientModeWithAnAbsoluteAgentPath() {
        Submission s = new Submission("submit-client", "client");
        s.agentOptions(SmokeEnv.agentJar().toString(), s.config.toString(), "");
        OverloadRunData d = s.run(RUN_SECONDS, Duration.ofSeconds(RUN_SECONDS + 150), null);
        judgePlacement(d, true);
        judge(d, name() + " client");
    }

    @Test
    void clusterModeWithAnAbsoluteAgentPath() {
        Submission s = new Submission("submit-cluster", "cluster");
        // Spark's own need, not Sluice's: the Worker starts a cluster-mode driver without the --add-opens options the
        // launcher gives every other Spark JVM, and Spark 3.5 fails on Java 17 without them (StorageUtils cannot
        // access sun.nio.ch.DirectBuffer). A user on Java 17 adds them to spark.driver.extraJavaOptions too.
        s.agentOptions(SmokeEnv.agentJar().toString(), s.config.toString(),
                String.join(" ", cached.version().driverModuleFlags()));
        // The submitting client waits for the driver, so its exit says how the driver ended.
        s.conf("spark.standalone.submit.waitAppCompletion", "true");
        OverloadRunData d = s.run(RUN_SECONDS, Duration.ofSeconds(RUN_SECONDS + 180), null);
        judgePlacement(d, false);
        judge(d, name() + " cluster");
    }

    @Test
    void filesWithARelativeAgentNameStopsEveryExecutorOnStandalone() {
        Submission s = new Submission("files-relative", "client");
        s.options.add("--files");
        s.options.add(SmokeEnv.agentJar() + "," + s.config);
        // The driver (client mode) gets the absolute path; the executors the relative names a YARN user would write.
        s.conf("spark.driver.extraJavaOptions", "-javaagent:" + SmokeEnv.agentJar() + "=config=" + s.config);
        s.conf("spark.executor.extraJavaOptions", "-javaagent:" + AGENT_NAME_IN_README + "=config=sluice.properties");
        // The Worker relaunches failed executors at once, thousands of JVM starts a minute: stop a few seconds after
        // the first has failed instead of waiting for the application to give up.
        OverloadRunData d = s.run(20, Duration.ofSeconds(120), () -> failedExecutorSeen());
        String executors = d.run.executorOutput();
        assertTrue(executors.contains("Error opening zip file or JAR manifest missing : " + AGENT_NAME_IN_README),
                "the executors' JVMs were expected to refuse the relative agent path; executor logs:\n"
                        + tail(executors, 40));
        assertFalse(executors.contains("active in this executor JVM"), "an executor started with the agent");
        assertTrue(d.run.driverOutput().contains("active in this driver JVM"), "the driver's start line is missing");
        // What the driver's log shows of it (the README's troubleshooting section quotes it).
        assertTrue(d.run.driverOutput().contains("removed: Command exited with code 1"),
                "the driver's log does not show the executors exiting");
        long stored = d.sparkStored(OverloadRunner.SINGLE) + d.sparkStored(OverloadRunner.ITERATOR);
        assertEquals(0, stored, "records were stored, so some executor ran");
        long failed = d.run.executorLogs().stream().filter(p -> p.getFileName().toString().equals("stderr")).count();
        Figures.record(String.format("%s %s --files + relative -javaagent name: %d executor JVMs refused to "
                + "start (\"Error opening zip file or JAR manifest missing\"), 0 records stored; driver %s", name(),
                VERSION, failed, d.run));
    }

    /** Whether an executor of the cluster has exited because its JVM could not open the agent jar. */
    private boolean failedExecutorSeen() {
        for (Path work : cluster.workDirs()) {
            try (Stream<Path> s = Files.walk(work, 3)) {
                if (s.filter(p -> p.getFileName().toString().equals("stderr"))
                        .anyMatch(p -> read(p).contains("Error opening zip file or JAR manifest missing"))) {
                    return true;
                }
            } catch (IOException | UncheckedIOException e) {
                // not there yet
            }
        }
        return false;
    }

    private static void judge(OverloadRunData d, String label) {
        assertTrue(d.run.driverOutput().contains("active in this driver JVM"), label
                + ": no start line in the driver's log\n" + d.run.driverStderrTail(40));
        long executorsWithAgent = d.run.executorLogs().stream().filter(p -> read(p).contains(
                "active in this executor JVM")).count();
        assertTrue(executorsWithAgent >= 2, label + ": start line in " + executorsWithAgent
                + " executor logs, expected both executors'");
        AbstractOverloadSmokeTest.judgeStrategyRun(VERSION + " " + label + " drop", d);
        AbstractOverloadSmokeTest.assertMostlyDiscarded(d);
        Figures.record(String.format("%s %s: start line in the driver's log and in %d executor logs", VERSION, label,
                executorsWithAgent));
    }

    /** One {@code spark-submit} of the overload job to the cluster, and what it left. */
    final class Submission {
        final String name;
        final String deployMode;
        final Path runDir;
        final Path config;
        final List<String> options = new ArrayList<>();

        Submission(String name, String deployMode) {
            this.name = name;
            this.deployMode = deployMode;
            this.runDir = runsRoot().resolve(name);
            this.config = runDir.resolve("sluice.properties");
            try {
                OverloadRunner.deleteRecursively(runDir);
                Files.createDirectories(runDir.resolve("job-out"));
                Files.createDirectories(runDir.resolve("metrics"));
                Files.write(config, List.of("sluice.strategy=drop",
                        "sluice.rate.initial=" + AbstractOverloadSmokeTest.INITIAL_RATE,
                        "sluice.metrics.file=" + runDir.resolve("metrics")), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void conf(String key, String value) {
            options.add("--conf");
            options.add(key + "=" + value);
        }

        /** As the README: the same -javaagent option in both extraJavaOptions ({@code driverMore} after it). */
        void agentOptions(String jar, String configFile, String driverMore) {
            conf("spark.driver.extraJavaOptions", ("-javaagent:" + jar + "=config=" + configFile + " " + driverMore)
                    .trim());
            conf("spark.executor.extraJavaOptions", "-javaagent:" + jar + "=config=" + configFile);
        }

        /** @param stopWhen checked every second; when it holds, the submission is stopped 5 s later (null: never) */
        OverloadRunData run(int durationSeconds, Duration timeout, java.util.function.BooleanSupplier stopWhen) {
            List<String> args = new ArrayList<>(List.of("--master", cluster.masterUrl, "--deploy-mode", deployMode,
                    "--name", "sluice-standalone-" + name));
            conf("spark.executor.memory", "512m");
            conf("spark.executor.cores", "2");
            conf("spark.cores.max", "4");
            conf("spark.driver.memory", "1g");
            conf("spark.streaming.blockInterval", "200ms");
            args.addAll(options);
            args.addAll(List.of("--class", "dev.sluice.examples.overload.OverloadJob",
                    SmokeEnv.examplesJar().toString(), "out=" + runDir.resolve("job-out"),
                    "duration=" + durationSeconds, "rate=" + OverloadRunner.RATE_PER_RECEIVER,
                    "workMicros=" + OverloadRunner.WORK_MICROS, "batchMs=" + OverloadRunner.BATCH_MS,
                    "receivers=single,iterator", "chunkMs=" + OverloadRunner.CHUNK_MS));
            Set<String> before = new HashSet<>();
            cluster.workDirs().forEach(w -> before.addAll(entries(w)));
            List<String> cmd = SparkClass.command(cluster.home, cached, "org.apache.spark.deploy.SparkSubmit", args);
            boolean client = deployMode.equals("client");
            submissionStarting();
            long t0 = System.currentTimeMillis();
            // Only the client-mode driver gets the Master side's SPARK_LOCAL_IP: in cluster mode Spark's submitting
            // client (ClientEndpoint) hands its whole environment (sys.env) to the driver the Worker starts, whose
            // SPARK_LOCAL_IP would then name an address of another host (Worker namespace) and fail to bind.
            Process p = SparkClass.start(cmd, cluster.home, cached, runDir, runDir, client ? "driver" : "submit",
                    client ? cluster.localEnvironment() : Map.of());
            boolean timedOut;
            int exit;
            try {
                long deadline = System.currentTimeMillis() + timeout.toMillis();
                long stopAt = Long.MAX_VALUE;
                while (!p.waitFor(1, TimeUnit.SECONDS) && System.currentTimeMillis() < Math.min(deadline, stopAt)) {
                    whileRunning();
                    if (stopWhen != null && stopAt == Long.MAX_VALUE && stopWhen.getAsBoolean()) {
                        stopAt = System.currentTimeMillis() + 5_000;
                    }
                }
                timedOut = p.isAlive();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                timedOut = true;
            } finally {
                SparkClass.stopTree(p);
            }
            exit = timedOut ? -1 : p.exitValue();
            if (!client && exit == 0 && !read(runDir.resolve("submit-stderr.log")).contains(" is FINISHED")) {
                exit = 1; // the client exits 0 whatever the driver's final state: FAILED counts as a failure here
            }
            collectLogs(before, client);
            RunResult result = new RunResult(runDir, runDir.resolve("spark-home"), exit, timedOut,
                    System.currentTimeMillis() - t0);
            System.out.printf("[smoke] %s %s/%s: %s%n", AbstractStandaloneSmokeTest.this.name(), VERSION, name,
                    result);
            return new OverloadRunData(result, runDir.resolve("job-out"), runDir.resolve("metrics"),
                    OverloadRunner.STREAMS);
        }

        /**
         * Copies this submission's logs out of the Workers' work directories: every executor's stdout/stderr to
         * {@code <run>/spark-home/work/app-*}/{@code <id>/}, and in cluster mode the driver's to
         * {@code <run>/driver-stdout.log} and {@code driver-stderr.log}.
         */
        private void collectLogs(Set<String> before, boolean client) {
            for (Path work : cluster.workDirs()) {
                collectLogs(work, before, client);
            }
        }

        private void collectLogs(Path work, Set<String> before, boolean client) {
            try (Stream<Path> s = Files.list(work)) {
                for (Path entry : s.filter(e -> !before.contains(e.getFileName().toString())).toList()) {
                    String n = entry.getFileName().toString();
                    if (n.startsWith("driver-") && !client) {
                        copyIfExists(entry.resolve("stdout"), runDir.resolve("driver-stdout.log"));
                        copyIfExists(entry.resolve("stderr"), runDir.resolve("driver-stderr.log"));
                    } else if (n.startsWith("app-")) {
                        try (Stream<Path> executors = Files.list(entry)) {
                            for (Path e : executors.filter(Files::isDirectory).toList()) {
                                Path to = runDir.resolve("spark-home").resolve("work").resolve(n)
                                        .resolve(e.getFileName().toString());
                                copyIfExists(e.resolve("stdout"), to.resolve("stdout"));
                                copyIfExists(e.resolve("stderr"), to.resolve("stderr"));
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Set<String> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(HashSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyIfExists(Path from, Path to) throws IOException {
        if (Files.exists(from)) {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().collect(Collectors.toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
