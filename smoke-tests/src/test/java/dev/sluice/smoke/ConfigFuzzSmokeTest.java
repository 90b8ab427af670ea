package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * The agent module's generated configurations (ConfigFuzzTest: values of a category known to be valid or invalid for
 * the key's documented type, through every channel: the file, agent arguments, {@code -D} and the environment) given to
 * a real Spark job on local-cluster[2,2,1024], the same configuration on the driver and both executors, each case its
 * own Spark application. The job must survive every one (exit 0, at least 5 batches with data); an invalid one must
 * say exactly one line per JVM naming a key the generator made invalid and leave every JVM uninstrumented (no counters;
 * Spark stores most of what is offered, below capacity); a valid one must be accepted (the start line and counters
 * written, or the documented line of {@code sluice.enabled=false}) with no error line. A valid case may bound the
 * streams as it likes (a low {@code sluice.rate.max}, {@code drop}), so what it stores is not judged.
 * The cases come from the agent module's test classes run in their own JVM ({@link #corpus}): the agent jar stays off
 * this module's class path. Not in the default build (8 Spark applications): smoke-full runs it.
 */
class ConfigFuzzSmokeTest extends OneSparkLineSmokeTest {

    static final int VALID = 4;
    static final int INVALID = 4;
    static final int RUN_SECONDS = 20;
    static final long RATE = 300;
    static final String INVALID_LINE = "Sluice: invalid configuration: key '";

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @TestFactory
    Stream<DynamicTest> aSparkJobSurvivesEveryGeneratedConfiguration() {
        List<FuzzCase> cases = corpus(VALID, INVALID);
        assertEquals(VALID, cases.stream().filter(c -> c.expectedKeys.isEmpty()).count(), "valid cases: " + cases);
        assertEquals(INVALID, cases.stream().filter(c -> !c.expectedKeys.isEmpty()).count(), "invalid: " + cases);
        return cases.stream().map(c -> DynamicTest.dynamicTest("seed " + c.seed + ": " + c, () -> run(c)));
    }

    private void run(FuzzCase c) throws IOException {
        String name = "config-fuzz-" + c.seed;
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve(name + "-config");
        OverloadRunner.deleteRecursively(runDir);
        Files.createDirectories(runDir);
        // Where OverloadRunner reads the per-second counters: valid cases must write them, invalid ones must not.
        Path metrics = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve(name).resolve("metrics");
        String args = c.agentArgs(runDir) + (c.agentArguments.isEmpty() && c.file.isEmpty() ? "" : ",")
                + "sluice.metrics.file=" + metrics;
        OverloadRunData d = OverloadRunner.run(home, name, RUN_SECONDS, RATE, Map.of(), b -> {
            b.agent(new AgentAttachment(SmokeEnv.agentJar(), args).requireJar());
            c.systemProperties.forEach((k, v) -> {
                b.addDriverJvmOption("-D" + k + "=" + v);
                b.addExecutorJavaOption("-D" + k + "=" + v);
            });
            c.environment.forEach((k, v) -> {
                b.env(k, v);
                b.conf("spark.executorEnv." + k, v);
            });
        }, driver -> { });
        String label = home.version() + " config fuzz seed " + c.seed + " " + c;
        assertEquals(0, d.run.exitCode(), label + ": driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        assertTrue(d.dataBatches().size() >= 5, label + ": Spark ran " + d.dataBatches().size() + " batches with data");
        List<String> driverErrors = invalidLines(d.run.driverOutput());
        List<String> executorErrors = invalidLines(d.run.executorOutput());
        String verdict;
        if (c.expectedKeys.isEmpty()) {
            assertEquals(List.of(), driverErrors, label + ": a valid configuration was rejected on the driver");
            assertEquals(List.of(), executorErrors, label + ": a valid configuration was rejected on an executor");
            // The start line: "Sluice <version> active in this JVM (driver or executor: ..." at premain.
            assertTrue(d.run.driverOutput().contains(" active in this ")
                            || d.run.driverOutput().contains("Sluice: disabled by "),
                    label + ": no start line on the driver:\n" + d.run.driverStderrTail(40));
            boolean active = d.run.driverOutput().contains(" active in this ");
            assertTrue(!active || !d.agentFiles.isEmpty(), label + ": the agent started but wrote no counters");
            verdict = active ? "accepted" : "accepted (disabled, as configured)";
        } else {
            assertEquals(1, driverErrors.size(), label + ": driver error lines " + driverErrors);
            assertTrue(c.expectedKeys.stream().anyMatch(k -> driverErrors.get(0).contains(INVALID_LINE + k + "'")),
                    label + ": the line names none of " + c.expectedKeys + ": " + driverErrors.get(0));
            // local-cluster[2,...]: two executor JVMs, each with the same options, each says it once.
            assertEquals(2, executorErrors.size(), label + ": executor error lines " + executorErrors);
            assertTrue(executorErrors.stream().allMatch(l -> l.equals(driverErrors.get(0))),
                    label + ": executors said otherwise: " + executorErrors);
            assertTrue(d.agentFiles.isEmpty(), label + ": uninstrumented JVMs wrote counters: " + d.agentFiles);
            // Uninstrumented and offered below capacity: Spark stores what the receivers offer.
            for (int s : new int[] {OverloadRunner.SINGLE, OverloadRunner.ITERATOR}) {
                long offered = d.receiverOffered(s);
                long stored = d.sparkStored(s);
                assertTrue(offered > 0 && stored > offered / 2, label + ": stream " + s + ": Spark stored " + stored
                        + " of " + offered + " offered records");
            }
            verdict = "rejected: " + driverErrors.get(0).trim();
        }
        Figures.record(String.format("%s config fuzz seed %d %s: %s; %d batches with data, stored %d+%d of %d+%d "
                        + "offered", home.version(), c.seed, c, verdict, d.dataBatches().size(),
                d.sparkStored(OverloadRunner.SINGLE), d.sparkStored(OverloadRunner.ITERATOR),
                d.receiverOffered(OverloadRunner.SINGLE),
                d.receiverOffered(OverloadRunner.ITERATOR)));
    }

    private static List<String> invalidLines(String output) {
        return output.lines().filter(l -> l.contains(INVALID_LINE)).map(String::trim).collect(Collectors.toList());
    }

    /** {@code valid} and {@code invalid} cases printed by the agent module's ConfigFuzzCorpus, in its own JVM. */
    static List<FuzzCase> corpus(int valid, int invalid) {
        Path testClasses = Paths.get(System.getProperty("sluice.agent.testClasses", "../agent/target/test-classes"))
                .toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(testClasses.resolve("dev/sluice/agent/config")), "the agent module's test classes "
                + "are not at " + testClasses + " (build them: mvn -pl smoke-tests -am verify)");
        List<String> cmd = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                SmokeEnv.agentJar() + java.io.File.pathSeparator + testClasses,
                "dev.sluice.agent.config.ConfigFuzzCorpus", String.valueOf(valid), String.valueOf(invalid));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "ConfigFuzzCorpus failed: " + out);
            return out.lines().filter(l -> !l.isBlank()).map(FuzzCase::parse).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One generated case: its settings by channel and the keys an error may name (empty when it is valid). */
    static final class FuzzCase {
        final long seed;
        final List<String> expectedKeys;
        final Map<String, String> file = new LinkedHashMap<>();
        final List<String> agentArguments = new ArrayList<>();
        final Map<String, String> systemProperties = new LinkedHashMap<>();
        final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> shown = new ArrayList<>();

        private FuzzCase(long seed, List<String> expectedKeys) {
            this.seed = seed;
            this.expectedKeys = expectedKeys;
        }

        static FuzzCase parse(String line) {
            String[] f = line.split("\t");
            FuzzCase c = new FuzzCase(Long.parseLong(f[0]), f[1].equals("-") ? List.of() : Arrays.asList(f[1].split(",")));
            for (int i = 2; i < f.length; i++) {
                String[] s = f[i].split("\\|", 3);
                String value = new String(Base64.getDecoder().decode(s[2]), StandardCharsets.UTF_8);
                switch (s[0]) {
                    case "FILE" -> c.file.put(s[1], value);
                    case "AGENT_ARGUMENT" -> c.agentArguments.add(s[1] + "=" + value);
                    case "SYSTEM_PROPERTY" -> c.systemProperties.put(s[1], value);
                    case "ENVIRONMENT" -> c.environment.put(s[1], value); // the variable's name, from the corpus
                    default -> throw new IllegalArgumentException("unknown source in " + line);
                }
                c.shown.add(s[0].toLowerCase(java.util.Locale.ROOT) + ":" + s[1] + "='" + printable(value) + "'");
            }
            return c;
        }

        /** The agent arguments: {@code config=<file>} first when the case has file settings, as ConfigFuzzTest does. */
        String agentArgs(Path dir) throws IOException {
            List<String> parts = new ArrayList<>(agentArguments);
            if (!file.isEmpty()) {
                Properties p = new Properties();
                file.forEach(p::setProperty);
                Path f = dir.resolve("fuzz.properties");
                try (OutputStream out = Files.newOutputStream(f)) {
                    p.store(out, null);
                }
                parts.add(0, "config=" + f.toAbsolutePath());
            }
            return String.join(",", parts);
        }

        private static String printable(String v) {
            String cut = v.length() > 40 ? v.substring(0, 40) + "..." : v;
            StringBuilder sb = new StringBuilder();
            for (char ch : cut.toCharArray()) {
                sb.append(ch < 0x20 || ch > 0x7e ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return shown + (expectedKeys.isEmpty() ? " (valid)" : " (invalid: " + expectedKeys + ")");
        }
    }
}
