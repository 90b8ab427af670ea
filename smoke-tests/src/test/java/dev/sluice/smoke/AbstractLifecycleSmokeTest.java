package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * The driver's lifecycle on real multi-JVM Spark (local-cluster[2,2,1024], executors are separate JVMs that stay for
 * the whole application): the examples' SequentialContextsJob runs several StreamingContexts one after another on one
 * SparkContext, each with one receiver that reports the limit Spark's receiver API gives it and counts what it offers.
 * The agent is attached as users attach it (default configuration; only the metrics directory is set).
 */
abstract class AbstractLifecycleSmokeTest extends OneSparkLineSmokeTest {

    static final int CONTEXTS = 3;
    static final int CONTEXT_SECONDS = 20;
    /** Records/s offered: well below what the job processes (no overload: stock Spark delivers everything). */
    static final long RATE = 1000;
    static final long SPARK_CONTROLLER_RATE = 777;
    static final int QUIET_SECONDS = 12;

    /** One probe line: what the receiver saw at {@code epochMs}. */
    record Probe(String file, long epochMs, int streamId, long limit, long offered) {
    }

    /** One finished StreamingContext: its window, what Spark processed, what its receiver reported. */
    record Context(int index, long startMs, long stopMs, long processed, List<Probe> probes) {
        long offered() {
            // A receiver that moved would leave one file per executor JVM; each counts from 0.
            return probes.stream().collect(Collectors.groupingBy(Probe::file)).values().stream()
                    .mapToLong(l -> l.stream().mapToLong(Probe::offered).max().orElse(0)).sum();
        }
    }

    @Test
    void stockSparkDeliversEveryRecordOfEveryContext() {
        RunResult run = run("contexts-stock", false, Map.of(), "contexts=" + CONTEXTS, "seconds=" + CONTEXT_SECONDS,
                "rate=" + RATE);
        List<Context> contexts = contexts(run);
        StringBuilder fig = new StringBuilder(version() + " several contexts, stock Spark:");
        for (Context c : contexts) {
            assertDelivered(c);
            fig.append(String.format(" ctx %d processed %d of %d offered;", c.index, c.processed, c.offered()));
        }
        Figures.record(fig.toString());
    }

    @Test
    void severalContextsInOneDriverJvmInheritNothing() {
        RunResult run = run("contexts-agent", true, Map.of(), "contexts=" + CONTEXTS, "seconds=" + CONTEXT_SECONDS,
                "rate=" + RATE);
        String driver = run.driverOutput();
        List<Context> contexts = contexts(run);
        StringBuilder fig = new StringBuilder(version() + " several contexts with the agent:");
        for (Context c : contexts) {
            assertTrue(driver.contains("attached to StreamingContext #" + c.index + ":"), "context " + c.index
                    + " was not attached; driver output:\n" + tail(driver));
            assertTrue(driver.contains("detached from StreamingContext #" + c.index + " (stopped)"), "context "
                    + c.index + " was not detached");
            assertDelivered(c);
            // Its own bound: a limit in force (not Spark's unlimited default) and not below what is offered (a bound
            // inherited from an earlier context, or a backlog seen through a wrong clock, pins it far lower).
            List<Long> late = c.probes.stream().filter(p -> p.offered > 0 && p.epochMs >= c.startMs + 8_000)
                    .map(Probe::limit).sorted().collect(Collectors.toList());
            assertTrue(late.size() >= 5, "context " + c.index + ": too few probe lines " + c.probes);
            long median = late.get(late.size() / 2);
            assertTrue(median >= RATE && median < Long.MAX_VALUE, "context " + c.index + ": the receiver's limit "
                    + "in the second half was " + late + " for " + RATE + " records/s offered");
            fig.append(String.format(" ctx %d processed %d of %d offered, receiver's limit median %d/s (min %d);",
                    c.index, c.processed, c.offered(), median, late.get(0)));
        }
        Figures.record(fig.toString());
    }

    @Test
    void sparksRateControllerPublishesUntilSluiceHasABound() {
        // Without the slow start, which gives every stream a bound of Sluice's from the start.
        RunResult run = run("controller-agent", true, Map.of("spark.streaming.backpressure.enabled", "true",
                        "spark.sluice.rate.slowStart", "false"),
                "contexts=2", "seconds=" + (QUIET_SECONDS + 14), "quietSeconds=" + QUIET_SECONDS, "rate=" + RATE,
                "controller=" + SPARK_CONTROLLER_RATE);
        String driver = run.driverOutput();
        List<String> takeovers = driver.lines().filter(l -> l.contains("Spark's rate controller no longer publishes"))
                .collect(Collectors.toList());
        List<Context> contexts = contexts(run);
        StringBuilder fig = new StringBuilder(version() + " Spark's back-pressure on, own controller at "
                + SPARK_CONTROLLER_RATE + "/s:");
        for (Context c : contexts) {
            List<Probe> quiet = c.probes.stream().filter(p -> p.offered == 0).collect(Collectors.toList());
            List<Probe> flowing = c.probes.stream().filter(p -> p.offered > 0).collect(Collectors.toList());
            assertTrue(quiet.stream().anyMatch(p -> p.limit == SPARK_CONTROLLER_RATE), "context " + c.index
                    + ": before Sluice had a bound, the receiver never saw the rate Spark's controller published ("
                    + SPARK_CONTROLLER_RATE + "/s): " + quiet);
            assertTrue(flowing.stream().anyMatch(p -> p.limit != SPARK_CONTROLLER_RATE && p.limit < Long.MAX_VALUE),
                    "context " + c.index + ": Sluice's bound never replaced Spark's once records flowed: " + flowing);
            assertEquals(1, takeovers.stream().filter(l -> l.contains("StreamingContext #" + c.index + ", stream"))
                    .count(), "one takeover line per context: " + takeovers);
            long firstSpark = quiet.stream().filter(p -> p.limit == SPARK_CONTROLLER_RATE).mapToLong(Probe::epochMs)
                    .min().orElse(-1);
            fig.append(String.format(" ctx %d: Spark's %d/s seen by the receiver %.1f s after start, %d quiet lines "
                            + "at it of %d; limits once records flowed %s;", c.index, SPARK_CONTROLLER_RATE,
                    (firstSpark - c.startMs) / 1000.0,
                    quiet.stream().filter(p -> p.limit == SPARK_CONTROLLER_RATE).count(), quiet.size(),
                    flowing.stream().map(p -> String.valueOf(p.limit)).distinct().limit(6)
                            .collect(Collectors.toList())));
        }
        Figures.record(fig.toString());
    }

    /** The receiver offered {@code n} records; Spark processed them all (graceful stop), as stock Spark does. */
    private static void assertDelivered(Context c) {
        long offered = c.offered();
        assertTrue(offered >= RATE * (CONTEXT_SECONDS / 2), "context " + c.index + " offered only " + offered);
        assertEquals(offered, c.processed, "context " + c.index + ": records processed by Spark vs offered by the "
                + "receiver (graceful stop)");
    }

    private RunResult run(String name, boolean agent, Map<String, String> sparkConf, String... args) {
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve(name);
        try {
            OverloadRunner.deleteRecursively(runDir);
            Path out = runDir.resolve("job-out");
            Files.createDirectories(out);
            List<String> appArgs = new ArrayList<>(List.of(args));
            appArgs.add("out=" + out);
            LaunchSpec.Builder b = LaunchSpec.builder().home(home).appJar(SmokeEnv.examplesJar())
                    .mainClass("dev.sluice.examples.lifecycle.SequentialContextsJob").appArgs(appArgs)
                    .localCluster(2, 2, 1024).executorMemory("512m").driverMemory("1g")
                    .conf("spark.streaming.blockInterval", "200ms")
                    .timeout(Duration.ofSeconds(CONTEXTS * (CONTEXT_SECONDS + 20) + 150)).runDir(runDir);
            sparkConf.forEach(b::conf);
            if (agent) {
                Path metrics = runDir.resolve("metrics");
                Files.createDirectories(metrics);
                Path config = runDir.resolve("sluice.properties");
                Files.write(config, List.of("sluice.metrics.file=" + metrics), StandardCharsets.UTF_8);
                b.agent(AgentAttachment.withConfigFile(SmokeEnv.agentJar(), config).requireJar());
            }
            RunResult result = ClusterJobLauncher.run(b.build());
            System.out.printf("[smoke] %s/%s: %s%n", home.version(), name, result);
            assertEquals(0, result.exitCode(), "driver exit code; " + result + "\n" + result.driverStderrTail(40));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Context> contexts(RunResult run) {
        Path out = run.runDir().resolve("job-out");
        try {
            List<String> rows = Files.readAllLines(out.resolve("contexts.csv"));
            List<Context> contexts = new ArrayList<>();
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.split(",");
                int k = Integer.parseInt(f[0]);
                contexts.add(new Context(k, Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                        probes(out.resolve("ctx-" + k))));
            }
            assertTrue(!contexts.isEmpty(), "no context finished: " + rows);
            return contexts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Probe> probes(Path dir) throws IOException {
        List<Probe> probes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("probe-")).sorted()
                    .collect(Collectors.toList())) {
                for (String line : Files.readAllLines(f)) {
                    if (line.isEmpty() || line.startsWith("epochMs")) {
                        continue;
                    }
                    String[] v = line.split(",");
                    probes.add(new Probe(f.getFileName().toString(), Long.parseLong(v[0]), Integer.parseInt(v[1]), Long.parseLong(v[2]),
                            Long.parseLong(v[3])));
                }
            }
        }
        return probes;
    }

    private static String tail(String s) {
        List<String> lines = s.lines().collect(Collectors.toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
