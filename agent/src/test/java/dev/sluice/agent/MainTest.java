package dev.sluice.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar sluice-agent.jar ...} in process; ShadedJarIT runs the real jar. */
class MainTest {

    @TempDir
    Path dir;

    /** Exit code, stdout, stderr. */
    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        return new String[] {String.valueOf(code), new String(out.toByteArray(), StandardCharsets.UTF_8),
                new String(err.toByteArray(), StandardCharsets.UTF_8)};
    }

    @Test
    void withoutArgumentsItPrintsVersionSparkLinesAndUsage() {
        String[] r = run();
        assertEquals("0", r[0]);
        assertTrue(r[1].startsWith("Sluice " + AgentBootstrap.VERSION + ": "), r[1]);
        assertTrue(r[1].contains("Spark lines: 3.4, 3.5"), r[1]);
        assertTrue(r[1].contains("--check") && r[1].contains("--keys") && r[1].contains("--version"), r[1]);
    }

    @Test
    void versionAndKeys() {
        assertEquals("Sluice " + AgentBootstrap.VERSION + System.lineSeparator(), run("--version")[1]);
        String keys = run("--keys")[1];
        assertTrue(keys.contains("| `sluice.strategy` | `throttle` |"), keys);
        assertTrue(keys.contains("spark.sluice.strategy"), keys);
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        String[] r = run("--frobnicate");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("unknown option '--frobnicate'"), r[2]);
        assertEquals("2", run("--check")[0]);
    }

    @Test
    void checkAcceptsAValidConfigurationAndSaysWhereEachValueComesFrom() throws Exception {
        Path f = Files.write(dir.resolve("sluice.properties"), Arrays.asList("sluice.strategy=sample",
                "sluice.rate.max=900"));
        String[] r = run("--check", f.toString(), "spark.sluice.rate.min=50", "sluice.strategy=drop");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("command line: sluice.strategy=drop; SparkConf: spark.sluice.rate.min=50; file "
                + f + ": sluice.rate.max=900"), r[1]);
    }

    @Test
    void checkRejectsWithTheStartUpMessage() {
        String[] r = run("--check", "sluice.rate.min=abc");
        assertEquals("1", r[0]);
        assertEquals("Sluice: invalid configuration: key 'sluice.rate.min' has value 'abc'; allowed: a number > 0",
                r[2].trim());
        r = run("--check", "spark.sluice.strategy=dorp");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("key 'spark.sluice.strategy' has value 'dorp'"), r[2]);
        r = run("--check", "sluice.metrics.logInterval=10");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("for seconds write 10s"), r[2]);
        r = run("--check", dir.resolve("missing.properties").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("key 'sluice.config'") && r[2].contains("a readable properties file"), r[2]);
    }

    @Test
    void checkReadsSparkDefaultsConfAndSkipsSparksOwnKeys() throws Exception {
        Path f = Files.write(dir.resolve("spark-defaults.conf"), Arrays.asList("spark.master   yarn",
                "spark.executor.memory 4g", "spark.sluice.strategy  drop"));
        String[] r = run("--check", f.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("SparkConf: spark.sluice.strategy=drop") && r[1].contains("2 other spark.* keys skipped"),
                r[1]);
        Files.write(f, Arrays.asList("spark.master yarn", "spark.sluice.stratgy drop"));
        r = run("--check", f.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("key 'spark.sluice.stratgy'") && r[2].contains("a known key"), r[2]);
    }

    @Test
    void strategyClassesAreLoadedOnlyWithAClasspath() {
        String[] r = run("--check", "sluice.strategy=com.example.Missing");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("strategy classes not checked") && r[1].contains("com.example.Missing"), r[1]);

        r = run("--check", "--classpath", dir.toString(), "sluice.stream.1.strategy=com.example.Missing");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("key 'sluice.stream.1.strategy' names strategy class 'com.example.Missing', which "
                + "cannot be used"), r[2]);

        // A real strategy class, found through the class path given (the parent is the agent's loader).
        r = run("--check", "--classpath", dir.toString(), "spark.sluice.strategy="
                + dev.sluice.strategy.builtin.DropStrategy.class.getName());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("strategy classes load and instantiate"), r[1]);
    }
}
