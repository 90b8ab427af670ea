package dev.sluice.agent.config;

import dev.sluice.agent.HelloMain;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sample of {@link ConfigFuzzTest}'s generated configurations given to the real shaded agent jar in a forked JVM,
 * through the same channels users use (agent arguments, {@code -D}, environment, file): the JVM always runs its main
 * to the end, and an invalid configuration prints exactly one line naming the key.
 */
class ConfigFuzzIT {

    private static final int FORKS = 24;
    private static final String INVALID = "Sluice: invalid configuration:";

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> theJvmSurvivesEveryGeneratedConfiguration() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; tests.size() < FORKS && i < 10_000; i += 7) {
            ConfigFuzzTest.FuzzCase c = ConfigFuzzTest.FuzzCase.generate(new Random(0xF0CC + i));
            if (!passableOnACommandLine(c)) {
                continue; // a NUL cannot travel in argv or the environment; such values are covered in-process
            }
            tests.add(DynamicTest.dynamicTest("seed " + i + ": " + c, () -> run(c)));
        }
        assertEquals(FORKS, tests.size());
        return tests.stream();
    }

    private static boolean passableOnACommandLine(ConfigFuzzTest.FuzzCase c) {
        for (ConfigFuzzTest.Setting s : c.settings) {
            if (s.value.indexOf('\u0000') >= 0 || s.value.length() > 1000) {
                return false;
            }
        }
        return true;
    }

    private void run(ConfigFuzzTest.FuzzCase c) throws Exception {
        String jar = new File("target/sluice-agent-" + System.getProperty("sluice.version", "0.1.0-SNAPSHOT")
                + ".jar").getAbsolutePath();
        String args = c.agentArgs(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-javaagent:" + jar + (args == null ? "" : "=" + args));
        for (String key : c.systemProperties().stringPropertyNames()) {
            cmd.add("-D" + key + "=" + c.systemProperties().getProperty(key));
        }
        cmd.add("-cp");
        cmd.add(new File("target/test-classes").getAbsolutePath());
        cmd.add(HelloMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().entrySet().removeIf(e -> e.getKey().startsWith("SLUICE_"));
        for (Map.Entry<String, String> e : c.environment().entrySet()) {
            if (e.getKey().startsWith("SLUICE_")) {
                pb.environment().put(e.getKey(), e.getValue());
            }
        }
        File out = Files.createTempFile(dir, "fork", ".out").toFile();
        File err = Files.createTempFile(dir, "fork", ".err").toFile();
        Process p = pb.redirectOutput(out).redirectError(err).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the forked JVM did not finish");
        String stdout = new String(Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8);
        String stderr = new String(Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8);
        long invalidLines = java.util.Arrays.stream(stderr.split("\n")).filter(l -> l.contains(INVALID)).count();
        assertTrue(invalidLines <= 1, stderr);
        String failOnError = c.winners().get(ConfigKeys.FAIL_ON_ERROR.name);
        if (invalidLines == 1 && failOnError != null && failOnError.trim().equalsIgnoreCase("true")) {
            assertEquals(1, p.exitValue(), "sluice.failOnError=true exits on an invalid configuration: " + stderr);
            assertTrue(!stdout.contains("main ran"), stdout);
        } else {
            assertEquals(0, p.exitValue(), c + ": " + stderr);
            assertTrue(stdout.contains("main ran"), stdout + stderr);
        }
        if (c.certain()) {
            List<String> wrong = c.expectedRejectedKeys();
            assertEquals(wrong.isEmpty() ? 0 : 1, invalidLines, "expected invalid keys " + wrong + ": " + stderr);
            if (!wrong.isEmpty()) {
                assertTrue(wrong.stream().anyMatch(k -> stderr.contains("key '" + k + "'")), stderr);
            }
        }
    }
}
