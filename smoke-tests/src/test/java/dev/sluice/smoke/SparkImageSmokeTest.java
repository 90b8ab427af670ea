package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import dev.sluice.testbed.cluster.RunResult;

/**
 * The shaded agent inside the stock Apache Spark images from Docker Hub ({@code apache/spark}), submitted with the
 * image's own {@code spark-submit} the way the README tells users: {@code -javaagent:<jar>=config=<file>} in
 * {@code spark.driver.extraJavaOptions} and {@code spark.executor.extraJavaOptions}, master {@code local-cluster} so
 * the executors are separate JVMs started by the image's Spark. The job and its judgement are the local-cluster smoke
 * tests' (overload job, drop strategy): the image brings a Spark build, a JDK and a layout we did not assemble.
 *
 * <p>Needs a Docker engine. Where none answers, every test here is reported <b>skipped</b> (a JUnit assumption, so
 * Surefire counts it under "Skipped", never under passed tests) and one line says so in the output and in
 * {@code smoke-runs/figures.txt}. Images: {@code -Dsluice.container.images=a,b} (default {@link #DEFAULT_IMAGES}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkImageSmokeTest {

    static final String DEFAULT_IMAGES = "apache/spark:3.5.7,apache/spark:4.1.0";
    static final int RUN_SECONDS = 70;
    private static final String SLUICE_DIR = "/opt/sluice";
    private static final String RUN_DIR = "/tmp/sluice-run";
    private static final String SPARK_WORK = "/opt/spark/work";

    /** Why the tests cannot run here, or null when a Docker engine answers. */
    private String dockerProblem;

    static List<String> images() {
        return Arrays.stream(System.getProperty("sluice.container.images", DEFAULT_IMAGES).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    }

    @BeforeAll
    void dockerEngine() {
        dockerProblem = dockerProblem();
        if (dockerProblem != null) {
            Figures.record("stock-image container tests SKIPPED, NOT PASSED (" + dockerProblem + "): " + images()
                    + " did not run");
        }
    }

    static String dockerProblem() {
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? null
                    : "no Docker engine answers here (DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ")";
        } catch (RuntimeException | LinkageError e) {
            return "Docker check failed: " + e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void dropHoldsTheBoundInTheStockImage(String image) throws Exception {
        assumeTrue(dockerProblem == null, () -> "SKIPPED, not passed: " + dockerProblem);
        Path runDir = SmokeEnv.runsDir().resolve("container").resolve(image.replaceAll("[^A-Za-z0-9.-]", "_"));
        OverloadRunner.deleteRecursively(runDir);
        Files.createDirectories(runDir);
        Path config = runDir.resolve("sluice.properties");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.strategy", "drop");
        props.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        props.put("sluice.metrics.file", RUN_DIR + "/metrics");
        Files.write(config, props.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.toList()), StandardCharsets.UTF_8);

        try (GenericContainer<?> spark = new GenericContainer<>(DockerImageName.parse(image))
                .withCopyFileToContainer(MountableFile.forHostPath(SmokeEnv.agentJar()),
                        SLUICE_DIR + "/sluice-agent.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(SmokeEnv.examplesJar()),
                        SLUICE_DIR + "/sluice-examples.jar")
                .withCopyFileToContainer(MountableFile.forHostPath(config), SLUICE_DIR + "/sluice.properties")
                // The image's entrypoint starts Kubernetes roles; here the container only hosts spark-submit runs.
                // Root, because local-cluster's workers write under $SPARK_HOME/work.
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sleep", "infinity").withUser("root"))
                .withStartupTimeout(Duration.ofMinutes(5))) {
            spark.start();
            exec(spark, "mkdir", "-p", RUN_DIR + "/job-out", RUN_DIR + "/metrics");
            String[] submit = submitCommand();
            Files.writeString(runDir.resolve("command.txt"), String.join(" ", submit));
            long t0 = System.currentTimeMillis();
            Container.ExecResult r = spark.execInContainer(submit);
            long wall = System.currentTimeMillis() - t0;
            Files.writeString(runDir.resolve("driver-stdout.log"), r.getStdout());
            Files.writeString(runDir.resolve("driver-stderr.log"), r.getStderr());
            copyTree(spark, RUN_DIR, runDir);
            copyTree(spark, SPARK_WORK, runDir.resolve("spark-home").resolve("work"));
            // timeout(1) exits 124 when it had to stop spark-submit.
            RunResult run = new RunResult(runDir, runDir.resolve("spark-home"), r.getExitCode(),
                    r.getExitCode() == 124, wall);
            System.out.printf("[smoke] %s: %s (%.0f s)%n", image, run, wall / 1000.0);
            OverloadRunData d = new OverloadRunData(run, runDir.resolve("job-out"), runDir.resolve("metrics"),
                    OverloadRunner.STREAMS);

            assertTrue(run.driverOutput().contains("active in this driver JVM"), image
                    + ": the agent did not start in the driver; stderr tail:\n" + run.driverStderrTail(40));
            assertTrue(run.executorOutput().contains("active in this executor JVM"), image
                    + ": the agent did not start in the executors (spark.executor.extraJavaOptions)");
            AbstractOverloadSmokeTest.judgeStrategyRun(image + " drop", d);
            AbstractOverloadSmokeTest.assertMostlyDiscarded(d);
            assertEquals(0, d.agentLines.stream().mapToLong(OverloadRunData.AgentLine::adviceErrors).max()
                    .orElse(0), image + ": advice errors");
        }
    }

    /** The README's way, with the image's spark-submit; the job as in {@link OverloadRunner}. */
    private static String[] submitCommand() {
        String agent = "-javaagent:" + SLUICE_DIR + "/sluice-agent.jar=config=" + SLUICE_DIR + "/sluice.properties";
        List<String> cmd = new ArrayList<>(List.of(
                // A stop after this is a failure anyway (the job ends itself after RUN_SECONDS).
                "timeout", String.valueOf(RUN_SECONDS + 240),
                "/opt/spark/bin/spark-submit",
                "--master", "local-cluster[2,2,1024]",
                "--driver-memory", "1g",
                "--executor-memory", "512m",
                "--conf", "spark.driver.extraJavaOptions=" + agent,
                "--conf", "spark.executor.extraJavaOptions=" + agent,
                "--conf", "spark.streaming.blockInterval=200ms",
                "--class", "dev.sluice.examples.overload.OverloadJob",
                SLUICE_DIR + "/sluice-examples.jar",
                "out=" + RUN_DIR + "/job-out", "duration=" + RUN_SECONDS,
                "rate=" + OverloadRunner.RATE_PER_RECEIVER, "workMicros=" + OverloadRunner.WORK_MICROS,
                "batchMs=" + OverloadRunner.BATCH_MS, "receivers=single,iterator",
                "chunkMs=" + OverloadRunner.CHUNK_MS));
        return cmd.toArray(new String[0]);
    }

    private static void exec(GenericContainer<?> c, String... cmd) throws IOException, InterruptedException {
        Container.ExecResult r = c.execInContainer(cmd);
        assertEquals(0, r.getExitCode(), String.join(" ", cmd) + ": " + r.getStderr());
    }

    /** Copies every regular file under {@code from} in the container to the same relative path under {@code to}. */
    private static void copyTree(GenericContainer<?> c, String from, Path to) throws IOException, InterruptedException {
        Container.ExecResult files = c.execInContainer("sh", "-c", "cd " + from + " 2>/dev/null && find . -type f");
        for (String rel : files.getStdout().lines().map(String::trim).filter(l -> l.startsWith("./"))
                .collect(Collectors.toList())) {
            Path target = to.resolve(rel.substring(2));
            Files.createDirectories(target.getParent());
            c.copyFileFromContainer(from + "/" + rel.substring(2), target.toString());
        }
    }
}
