package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.smoke.OverloadRunData.Batch;
import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * The agent beside things users put in the same JVMs, on real multi-JVM Spark 3.5.7 (local-cluster[2,2,1024]), the
 * overload job with stream 0 under drop and stream 1 under the examples' top-K strategy (a user class, loaded from the
 * application jar, implementing the interface the agent jar defines):
 * <ul>
 * <li>the agent jar also on the application class path (driver {@code -cp}, {@code spark.executor.extraClassPath}) and
 * in {@code spark.jars} (executors fetch it into their user class loader): the JVM's system class loader holds one copy
 * of Sluice's classes whatever else lists the jar, so Sluice starts once per JVM and instruments once;</li>
 * <li>the OpenTelemetry Java agent (another Byte Buddy agent, shading its own copy, exporters off) given before, or
 * after, Sluice's {@code -javaagent} on the driver and in {@code spark.executor.extraJavaOptions}.</li>
 * </ul>
 * Judged in every JVM: one Sluice start line per JVM, no linkage or cast error anywhere, no advice error; per stream:
 * the bound holds, and the agent's counters add up against the receiver's own count and Spark's completed batches (an
 * advice applied twice would count every record twice); with OpenTelemetry, its own start line in every JVM.
 */
class AgentCoexistenceSmokeTest extends OneSparkLineSmokeTest {

    static final int RUN_SECONDS = 40;
    /** The bound is judged from this long after the first batch with records (start-up backlog drained). */
    static final long JUDGE_AFTER_MS = 15_000;
    static final String OTEL_START = "opentelemetry-javaagent - version: ";
    static final List<String> OTEL_OFF = List.of("-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none");
    static final Pattern LINKAGE_TROUBLE = Pattern.compile(
            "LinkageError|ClassCastException|NoClassDefFoundError|IncompatibleClassChangeError|VerifyError"
                    + "|AbstractMethodError|Sluice: error in hook");

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Test
    void theAgentJarAlsoOnTheApplicationClassPathAndInSparkJars() {
        Path agent = SmokeEnv.agentJar();
        OverloadRunData d = run("agent-on-classpath", b -> b.extraClassPath(List.of(agent))
                .conf("spark.jars", agent.toString()));
        // command.txt: the driver's command line, one argument a line.
        List<String> cmd = read(d.run.runDir().resolve("command.txt")).lines().collect(Collectors.toList());
        assertTrue(cmd.get(cmd.indexOf("-cp") + 1).endsWith(":" + agent), "the agent jar is not on the driver's "
                + "class path: " + cmd);
        assertTrue(cmd.stream().anyMatch(a -> a.startsWith("-Dspark.executor.extraClassPath=") && a.endsWith(":" + agent)),
                "spark.executor.extraClassPath does not name the agent jar: " + cmd);
        assertTrue(cmd.contains("-Dspark.jars=" + agent), "spark.jars does not name the agent jar: " + cmd);
        assertTrue(cmd.stream().anyMatch(a -> a.startsWith("-javaagent:")), "no -javaagent: " + cmd);
        Figures.record(version() + " agent jar also in -cp, spark.executor.extraClassPath and spark.jars: "
                + judge(d));
    }

    @Test
    void openTelemetryAgentBeforeSluice() {
        OverloadRunData d = run("otel-before-sluice", b -> bothAgents(b, "otel-before-sluice", true));
        Figures.record(version() + " OpenTelemetry agent before Sluice's: " + judgeWithOpenTelemetry(d));
    }

    @Test
    void openTelemetryAgentAfterSluice() {
        OverloadRunData d = run("otel-after-sluice", b -> bothAgents(b, "otel-after-sluice", false));
        Figures.record(version() + " OpenTelemetry agent after Sluice's: " + judgeWithOpenTelemetry(d));
    }

    /** Both {@code -javaagent} options in the given order, on the driver and in the executors' options. */
    private void bothAgents(LaunchSpec.Builder b, String name, boolean otelFirst) {
        Path config = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve(name).resolve("sluice.properties");
        String sluice = AgentAttachment.withConfigFile(SmokeEnv.agentJar(), config).requireJar().jvmOption();
        String otel = "-javaagent:" + SmokeEnv.otelAgentJar();
        b.noAgent();
        for (String opt : otelFirst ? List.of(otel, sluice) : List.of(sluice, otel)) {
            b.addDriverJvmOption(opt);
            b.addExecutorJavaOption(opt);
        }
        for (String opt : OTEL_OFF) {
            b.addDriverJvmOption(opt);
            b.addExecutorJavaOption(opt);
        }
    }

    private OverloadRunData run(String name, Consumer<LaunchSpec.Builder> customize) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        props.put("sluice.stream.0.strategy", "drop");
        props.put("sluice.stream.1.strategy", AbstractOverloadSmokeTest.TOP_K);
        OverloadRunData d = OverloadRunner.run(home, name, RUN_SECONDS, OverloadRunner.RATE_PER_RECEIVER, props,
                customize, driver -> { });
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        return d;
    }

    String judgeWithOpenTelemetry(OverloadRunData d) {
        String verdict = judge(d);
        assertEquals(1, count(d.run.driverOutput(), OTEL_START), "OpenTelemetry's start line in the driver");
        List<Path> executorErr = executorStderr(d);
        for (Path p : executorErr) {
            assertEquals(1, count(read(p), OTEL_START), "OpenTelemetry's start line in " + p);
        }
        Matcher m = Pattern.compile(Pattern.quote(OTEL_START) + "(\\S+)").matcher(d.run.driverOutput());
        return verdict + "; OpenTelemetry agent " + (m.find() ? m.group(1) : "?") + " started in the driver and "
                + executorErr.size() + " executors";
    }

    /** What every run must show: Sluice once per JVM, nothing broken, the bound and the accounting of both streams. */
    String judge(OverloadRunData d) {
        String driver = d.run.driverOutput();
        // The driver here is a main class started with java -cp (as spark-submit's client mode does): before Spark
        // starts, the agent cannot tell driver from executor and its line says "active in this JVM (driver or ...".
        assertEquals(1, count(driver, " active in this "), "Sluice's start lines in the driver");
        List<Path> executorErr = executorStderr(d);
        assertTrue(executorErr.size() >= 2, "expected the two executors' stderr, found " + executorErr);
        for (Path p : executorErr) {
            assertEquals(1, count(read(p), "active in this executor JVM"), "Sluice's start lines in " + p);
        }
        assertNoLinkageTrouble("driver", driver);
        assertNoLinkageTrouble("executors", d.run.executorOutput());
        StringBuilder fig = new StringBuilder("one Sluice start line in the driver and in each of "
                + executorErr.size() + " executors");
        List<Batch> data = d.dataBatches();
        assertTrue(!data.isEmpty(), "no batch carried records; driver stderr tail:\n" + d.run.driverStderrTail(40));
        List<Batch> judged = data.stream().filter(b -> b.timeMs() >= data.get(0).timeMs() + JUDGE_AFTER_MS)
                .collect(Collectors.toList());
        assertTrue(judged.size() >= 10, "only " + judged.size() + " batches to judge");
        for (int s : new int[] {SINGLE, ITERATOR}) {
            String what = "stream " + s;
            List<String> names = d.executorLines(s).stream().map(AgentLine::strategy).distinct()
                    .collect(Collectors.toList());
            assertEquals(List.of(s == SINGLE ? "drop" : AbstractOverloadSmokeTest.TOP_K), names,
                    what + " not served by its configured strategy alone");
            fig.append(String.format("%n    stream %d [%s]: %s; %s", s, names.get(0),
                    OverloadChecks.assertWithinBound(what, d, s, judged), OverloadChecks.assertCountersAddUp(what, d, s)));
        }
        return fig.toString();
    }

    private static void assertNoLinkageTrouble(String where, String text) {
        Matcher m = LINKAGE_TROUBLE.matcher(text);
        if (m.find()) {
            int from = Math.max(0, m.start() - 300);
            int to = Math.min(text.length(), m.end() + 500);
            throw new AssertionError(where + ": '" + m.group() + "' in the output:\n" + text.substring(from, to));
        }
    }

    private static List<Path> executorStderr(OverloadRunData d) {
        return d.run.executorLogs().stream().filter(p -> p.getFileName().toString().equals("stderr"))
                .collect(Collectors.toList());
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
