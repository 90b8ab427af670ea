package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkHomes;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * The reactive receiver on real multi-JVM Spark 3.5.7 (and, without the agent, 4.1.0 / Scala 2.13)
 * ({@code local-cluster[2,1,1024]}: two executor JVMs, one core
 * each; the receiver holds one, tasks run on the other). The examples' ReactiveLoadJob subscribes to a publisher that
 * emits whatever is requested, instantly (it could emit millions a second), and spends 50 us of CPU per record
 * (some 15 000 records/s on an idle core: a margin over the 2 000/s bound, as the machine is shared). Checked from the publisher's own counts (executor) and the job's
 * (driver):
 * <ul>
 *   <li>records requested per second follow the bound within 10 % after convergence, per 5 s window;</li>
 *   <li>executor heap stays flat (lower envelope of the used heap, first vs last third of the run);</li>
 *   <li>nothing requested is lost: emitted = processed (count, sum and max of the values 0..n-1, so no loss and no
 *       duplicate) = Spark's stored record count, and requested - emitted is at most one interval's allowance.</li>
 * </ul>
 * The bound is {@code spark.streaming.receiver.maxRate} without the agent, and Sluice's bound with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReactiveReceiverSmokeTest {

    static final int RUN_SECONDS = 60;
    static final int WORK_MICROS = 50;
    static final long MAX_RATE = 2000;
    static final long BLOCK_INTERVAL_MS = 200;
    static final long FALLBACK_RATE = 1000; // ReactiveReceiverOptions.DEFAULT_FALLBACK_RATE
    static final int CONVERGENCE_SECONDS = 10;
    static final int WINDOW_SECONDS = 5;
    /**
     * The job's only stream is 0. ReactiveReceiver is marked dev.sluice.strategy.SelfLimitedReceiver, so with no
     * configuration at all the agent must count its stores without pacing them again (strategy "self-limited").
     */
    static final String SELF_LIMITED = "self-limited";

    SparkHome home;
    List<Path> appJars;

    @BeforeAll
    void prepare() throws IOException {
        Path examples = SmokeEnv.examplesJar();
        Path root = examples.getParent().getParent().getParent();
        String version = examples.getFileName().toString().replace("sluice-examples-", "").replace(".jar", "");
        Path reactive = root.resolve("reactive/target/sluice-reactive-" + version + ".jar");
        Path lib = root.resolve("reactive/target/lib");
        if (!Files.isRegularFile(reactive) || !Files.isDirectory(lib)) {
            throw new IllegalStateException(reactive + " or " + lib + " missing; build them: "
                    + "mvn -q -pl reactive,examples -am package -DskipTests");
        }
        appJars = new ArrayList<>(List.of(examples, reactive));
        try (Stream<Path> s = Files.list(lib)) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(appJars::add);
        }
        home = SparkHomes.resolve(SparkVersion.SPARK_3_5);
    }

    /**
     * Copies of the application jars in the run directory and a manifest-only jar whose Class-Path names them: one
     * entry for the driver's -cp and spark.executor.extraClassPath, and immune to concurrent rebuilds of the jars
     * (a rebuilt examples jar between driver and executor start breaks lambda deserialization).
     */
    private Path classPathJar(Path runDir) throws IOException {
        Path dir = Files.createDirectories(runDir.resolve("app"));
        List<Path> copies = new ArrayList<>();
        for (Path jar : appJars) {
            copies.add(Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING));
        }
        return manifestOnlyJar(dir.resolve("reactive-classpath.jar"), copies);
    }

    @Test
    void withoutTheAgentDemandFollowsMaxRate() {
        assertFollowsMaxRate(run("reactive-maxrate", null));
    }

    /** The same on Spark 4.1.0 / Scala 2.13: the module is compiled against 3.5.7 / 2.12 and must link on both. */
    @Test
    void onSpark41WithoutTheAgentDemandFollowsMaxRate() {
        assertFollowsMaxRate(run(SparkHomes.resolve(SparkVersion.SPARK_4_1), "reactive-maxrate", null, Map.of()));
    }

    private static void assertFollowsMaxRate(Run run) {
        assertRunSucceeded(run);
        List<Window> windows = run.windows(t -> MAX_RATE);
        report("maxRate " + MAX_RATE + "/s", run, windows);
        assertDemandFollowsBound(windows, run);
        assertNothingLost(run);
        assertHeapFlat(run);
    }

    /**
     * With the agent, Spark's own limiter says "no limit" (no maxRate, no back-pressure), so any bound the receiver
     * follows can only come from Sluice's advice on {@code RateLimiter.getCurrentLimit}. The estimator is pinned
     * ({@code sluice.rate.initial = min = max}) so the bound is known and steady; the reference is still the bound the
     * agent itself reports for the receiver's stream, once a second, in its executor CSV.
     */
    @Test
    void withTheAgentDemandFollowsSluicesPinnedBound() throws IOException {
        Run run = run("reactive-agent-pinned", SmokeEnv.agentJar(), Map.of("sluice.rate.initial", "3000",
                "sluice.rate.min", "3000", "sluice.rate.max", "3000"));
        assertRunSucceeded(run);
        List<Window> windows = run.windows(run::agentBoundAt);
        report("Sluice bound pinned at 3000/s", run, windows);
        assertTrue(run.agentBounds.stream().anyMatch(a -> a.bound == 3000),
                "the agent never reported the pinned bound: " + run.agentBounds);
        assertEquals(Set.of(SELF_LIMITED), run.agentStrategies,
                "the agent did not recognise the self-limited receiver (strategies it reported for stream 0)");
        assertDemandFollowsBound(windows, run);
        assertNothingLost(run);
        assertHeapFlat(run);
    }

    /**
     * With the agent's adaptive estimator the bound moves at every batch (100 to 20 000/s in one run). Asserted:
     * nothing lost, heap flat, and the total requested over the steady part within 20 % of the integral of the bound
     * the agent reported. Why not 10 % per window here: the reference is the agent's one-a-second sample, taken at
     * another phase than the publisher's, of a bound that changes every second, so a window's reference is itself off
     * by up to a second of the old bound (measured: requested 48 847 vs 54 419 bound-seconds, 10.2 %, while seconds
     * with a steady bound matched exactly, e.g. 100/100, 14 936/14 936). The 10 % criterion is asserted on the
     * maxRate and pinned-bound runs, whose bound is known.
     */
    @Test
    void withTheAgentAdaptiveBoundNothingIsLost() throws IOException {
        Run run = run("reactive-agent-adaptive", SmokeEnv.agentJar(), Map.of());
        assertRunSucceeded(run);
        List<Window> windows = run.windows(run::agentBoundAt);
        report("Sluice adaptive bound", run, windows);
        double requested = windows.stream().mapToDouble(w -> w.requestedPerSecond).sum();
        double bound = windows.stream().mapToDouble(w -> w.boundPerSecond).sum();
        assertTrue(Math.abs(requested - bound) / bound <= 0.20, String.format(
                "requested %.0f vs bound %.0f over the steady part: %s", requested, bound, windows));
        assertNothingLost(run);
        assertHeapFlat(run);
    }

    // ---- checks ----

    private static void assertRunSucceeded(Run run) {
        assertEquals(0, run.result.exitCode(), "driver exit code; " + run.result + "\n"
                + run.result.driverStderrTail(40));
        assertEquals(1, run.publisherFiles.size(), "one publisher JVM expected: " + run.publisherFiles);
        assertEquals(1, run.last().subscriptions, "the receiver restarted (more than one subscription)");
        assertEquals(1, run.last().cancels, "the receiver's stop did not cancel the subscription exactly once");
    }

    private static void assertDemandFollowsBound(List<Window> windows, Run run) {
        assertTrue(windows.size() >= 5, "too few windows after convergence: " + windows);
        for (Window w : windows) {
            double error = Math.abs(w.requestedPerSecond - w.boundPerSecond) / w.boundPerSecond;
            assertTrue(error <= 0.10, String.format("requested %.0f/s vs bound %.0f/s (%.1f %% off) in %s; all: %s",
                    w.requestedPerSecond, w.boundPerSecond, 100 * error, w, windows));
        }
    }

    private static void assertNothingLost(Run run) {
        PublisherLine last = run.last();
        long emitted = last.emitted;
        assertEquals(emitted, run.processedCount, "records emitted by the publisher vs processed by the job");
        assertEquals(emitted - 1, run.processedMax, "largest value processed");
        assertEquals(emitted * (emitted - 1) / 2, run.processedSum, "sum of the values processed (0..n-1)");
        assertEquals(emitted, run.sparkRecords, "records emitted vs Spark's stored record count (BatchInfo)");
        long allowance = Math.max(MAX_RATE, run.maxBoundSeen) * BLOCK_INTERVAL_MS / 1000;
        assertTrue(last.requested >= emitted && last.requested - emitted <= allowance,
                "requested " + last.requested + " vs emitted " + emitted + ": more than one interval's allowance ("
                        + allowance + ") outstanding at cancel");
    }

    private static void assertHeapFlat(Run run) {
        List<PublisherLine> lines = run.steadyLines();
        int third = lines.size() / 3;
        long early = lines.subList(0, third).stream().mapToLong(l -> l.heapUsedMb).min().orElse(0);
        long late = lines.subList(lines.size() - third, lines.size()).stream().mapToLong(l -> l.heapUsedMb).min()
                .orElse(0);
        assertTrue(late <= early + 64, "executor heap lower envelope grew from " + early + " MB to " + late + " MB");
    }

    private static void report(String what, Run run, List<Window> windows) {
        PublisherLine last = run.last();
        List<PublisherLine> steady = run.steadyLines();
        int third = steady.size() / 3;
        long early = steady.subList(0, third).stream().mapToLong(l -> l.heapUsedMb).min().orElse(0);
        long late = steady.subList(steady.size() - third, steady.size()).stream().mapToLong(l -> l.heapUsedMb)
                .min().orElse(0);
        double worst = windows.stream().mapToDouble(w -> Math.abs(w.requestedPerSecond - w.boundPerSecond)
                / w.boundPerSecond).max().orElse(Double.NaN);
        Figures.record(String.format("%s reactive (%s): windows %s; worst %.1f %% off; requested %d, emitted %d, "
                        + "processed %d (sum ok %b), Spark stored %d; executor heap floor %d -> %d MB; "
                        + "max scheduling delay after convergence %d ms; %s",
                run.version, what, windows.stream().map(Window::toString).collect(Collectors.joining(" ")), 100 * worst,
                last.requested, last.emitted, run.processedCount,
                run.processedSum == last.emitted * (last.emitted - 1) / 2, run.sparkRecords, early, late,
                run.maxSchedulingDelayAfter(CONVERGENCE_SECONDS), run.result));
    }

    // ---- running ----

    private Run run(String name, Path agentJar) {
        return run(home, name, agentJar, Map.of());
    }

    private Run run(String name, Path agentJar, Map<String, String> sluiceProperties) {
        return run(home, name, agentJar, sluiceProperties);
    }

    private Run run(SparkHome home, String name, Path agentJar, Map<String, String> sluiceProperties) {
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve(name);
        try {
            deleteRecursively(runDir);
            Path out = Files.createDirectories(runDir.resolve("job-out"));
            LaunchSpec.Builder b = LaunchSpec.builder().home(home).appJar(classPathJar(runDir))
                    .mainClass("dev.sluice.examples.reactive.ReactiveLoadJob")
                    .appArgs("out=" + out, "duration=" + RUN_SECONDS, "workMicros=" + WORK_MICROS, "batchMs=1000")
                    .localCluster(2, 1, 1024).executorMemory("512m").driverMemory("1g")
                    .conf("spark.streaming.blockInterval", BLOCK_INTERVAL_MS + "ms")
                    .timeout(Duration.ofSeconds(RUN_SECONDS + 150)).runDir(runDir);
            Path metrics = null;
            if (agentJar == null) {
                b.conf("spark.streaming.receiver.maxRate", Long.toString(MAX_RATE));
            } else {
                metrics = Files.createDirectories(runDir.resolve("metrics"));
                Path config = runDir.resolve("sluice.properties");
                List<String> lines = new ArrayList<>(List.of("sluice.metrics.file=" + metrics));
                sluiceProperties.forEach((k, v) -> lines.add(k + "=" + v));
                Files.write(config, lines, StandardCharsets.UTF_8);
                b.agent(AgentAttachment.withConfigFile(agentJar, config).requireJar());
            }
            RunResult result = ClusterJobLauncher.run(b.build());
            return new Run(home.version(), result, out, metrics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar with only a manifest whose Class-Path names the application jars: one entry for -cp and extraClassPath. */
    private static Path manifestOnlyJar(Path jar, List<Path> entries) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                entries.stream().map(p -> p.toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(os, m)) {
            // manifest only
        }
        return jar;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    // ---- run data ----

    record PublisherLine(long epochMs, long requested, long emitted, long subscriptions, long cancels,
                         long heapUsedMb) {
    }

    record AgentBound(long epochMs, long bound) {
    }

    record Window(long startMs, long endMs, double requestedPerSecond, double boundPerSecond) {
        @Override
        public String toString() {
            return String.format("%.0f/%.0f", requestedPerSecond, boundPerSecond);
        }
    }

    static final class Run {
        final SparkVersion version;
        final RunResult result;
        final List<Path> publisherFiles;
        final List<PublisherLine> lines = new ArrayList<>();
        final List<AgentBound> agentBounds = new ArrayList<>();
        final Set<String> agentStrategies = new TreeSet<>();
        final List<long[]> batches = new ArrayList<>(); // batchTimeMs, records, schedulingDelayMs
        long processedCount;
        long processedSum;
        long processedMax = -1;
        long sparkRecords;
        long maxBoundSeen;

        Run(SparkVersion version, RunResult result, Path out, Path metrics) throws IOException {
            this.version = version;
            this.result = result;
            try (Stream<Path> s = Files.list(out)) {
                publisherFiles = s.filter(p -> p.getFileName().toString().startsWith("publisher-")).sorted()
                        .collect(Collectors.toList());
            }
            for (Path f : publisherFiles) {
                for (Map<String, String> r : Csv.read(f).rows) {
                    lines.add(new PublisherLine(Csv.num(r, "epochMs"), Csv.num(r, "requested"),
                            Csv.num(r, "emitted"), Csv.num(r, "subscriptions"), Csv.num(r, "cancels"),
                            Csv.num(r, "heapUsedMb")));
                }
            }
            lines.sort(Comparator.comparingLong(PublisherLine::epochMs));
            Path processed = out.resolve("processed.csv");
            if (Files.exists(processed)) {
                for (Map<String, String> r : Csv.read(processed).rows) {
                    processedCount += Csv.num(r, "count");
                    processedSum += Csv.num(r, "sum");
                    processedMax = Math.max(processedMax, Csv.num(r, "max"));
                }
            }
            Path batchesCsv = out.resolve("batches.csv");
            if (Files.exists(batchesCsv)) {
                for (Map<String, String> r : Csv.read(batchesCsv).rows) {
                    batches.add(new long[] {Csv.num(r, "batchTimeMs"), Csv.num(r, "records"),
                            Csv.num(r, "schedulingDelayMs")});
                    sparkRecords += Csv.num(r, "records");
                }
            }
            if (metrics != null) {
                try (Stream<Path> s = Files.list(metrics)) {
                    for (Path f : s.filter(p -> p.getFileName().toString().startsWith("sluice-executor-"))
                            .collect(Collectors.toList())) {
                        for (Map<String, String> r : Csv.read(f).rows) {
                            if ("executor".equals(r.get("role")) && Csv.num(r, "streamId") == 0) {
                                agentBounds.add(new AgentBound(Csv.num(r, "epochMs"), Csv.num(r, "bound")));
                                if (Csv.num(r, "offered") > 0) {
                                    agentStrategies.add(r.get("strategy"));
                                }
                                maxBoundSeen = Math.max(maxBoundSeen, Csv.num(r, "bound"));
                            }
                        }
                    }
                }
                agentBounds.sort(Comparator.comparingLong(AgentBound::epochMs));
            }
        }

        /**
         * The bound the agent reported last at or before {@code t}; before its first bound (-1) the receiver sees
         * Spark's "no limit" and uses its fallback rate.
         */
        long agentBoundAt(long t) {
            long b = -1;
            for (AgentBound a : agentBounds) {
                if (a.epochMs <= t) {
                    b = a.bound;
                }
            }
            return b < 0 ? FALLBACK_RATE : b;
        }

        PublisherLine last() {
            if (lines.isEmpty()) {
                throw new AssertionError("the publisher wrote no counts; " + result + "\n"
                        + result.driverStderrTail(40));
            }
            return lines.get(lines.size() - 1);
        }

        /** Lines after convergence and before the stop (cancel), the last two seconds left out. */
        List<PublisherLine> steadyLines() {
            long first = lines.stream().filter(l -> l.requested > 0).mapToLong(PublisherLine::epochMs).min()
                    .orElseThrow(() -> new AssertionError("nothing was ever requested; " + result));
            long stop = lines.stream().filter(l -> l.cancels > 0).mapToLong(PublisherLine::epochMs).min()
                    .orElse(Long.MAX_VALUE);
            return lines.stream().filter(l -> l.epochMs >= first + CONVERGENCE_SECONDS * 1000L
                    && l.epochMs <= stop - 2000).collect(Collectors.toList());
        }

        /** Requested per second per 5 s window of steady lines, next to the bound averaged over the same seconds. */
        List<Window> windows(LongUnaryOperator boundAt) {
            List<PublisherLine> steady = steadyLines();
            List<Window> windows = new ArrayList<>();
            for (int i = 0; i + WINDOW_SECONDS < steady.size(); i += WINDOW_SECONDS) {
                PublisherLine a = steady.get(i);
                PublisherLine b = steady.get(i + WINDOW_SECONDS);
                double seconds = (b.epochMs - a.epochMs) / 1000.0;
                double boundSum = 0;
                for (int k = i; k < i + WINDOW_SECONDS; k++) {
                    boundSum += boundAt.applyAsLong(steady.get(k).epochMs);
                }
                windows.add(new Window(a.epochMs, b.epochMs, (b.requested - a.requested) / seconds,
                        boundSum / WINDOW_SECONDS));
            }
            return windows;
        }

        long maxSchedulingDelayAfter(int seconds) {
            if (batches.isEmpty()) {
                return -1;
            }
            long first = batches.stream().filter(b -> b[1] > 0).mapToLong(b -> b[0]).min().orElse(0);
            return batches.stream().filter(b -> b[0] >= first + seconds * 1000L).mapToLong(b -> b[2]).max()
                    .orElse(-1);
        }
    }
}
