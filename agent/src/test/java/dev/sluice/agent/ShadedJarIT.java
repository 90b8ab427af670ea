package dev.sluice.agent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the shaded agent jar built in the package phase (runs in integration-test, after it exists). */
class ShadedJarIT {

    private static File jar() {
        File f = new File("target/sluice-agent-" + System.getProperty("sluice.version", "0.1.0-SNAPSHOT") + ".jar");
        assertTrue(f.isFile(), "shaded jar missing: " + f.getAbsolutePath());
        return f;
    }

    private static byte[] read(JarFile jar, JarEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            return readAll(in);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void manifestNamesTheAgentEntryPoints() throws IOException {
        try (JarFile jar = new JarFile(jar())) {
            Attributes a = jar.getManifest().getMainAttributes();
            assertEquals("dev.sluice.agent.SluiceAgent", a.getValue("Premain-Class"));
            assertEquals("dev.sluice.agent.SluiceAgent", a.getValue("Agent-Class"));
            assertEquals("true", a.getValue("Can-Retransform-Classes"));
            assertEquals("dev.sluice.agent.Main", a.getValue("Main-Class"));
        }
    }

    /** The jar's own licence and notice, covering what it bundles (the bundled jars' copies are left out). */
    @Test
    void licenseAndNoticeNameTheBundledComponents() throws IOException {
        try (JarFile jar = new JarFile(jar())) {
            String license = new String(read(jar, jar.getJarEntry("META-INF/LICENSE")), StandardCharsets.UTF_8);
            String notice = new String(read(jar, jar.getJarEntry("META-INF/NOTICE")), StandardCharsets.UTF_8);
            assertTrue(license.contains("Apache License") && license.contains("Version 2.0, January 2004"), license);
            for (String component : new String[] {"Byte Buddy", "ASM"}) {
                assertTrue(license.contains(component), "META-INF/LICENSE does not name " + component);
            }
            // Metrics go through Spark's own Codahale: nothing else is bundled, so nothing else is named.
            for (String notBundled : new String[] {"Micrometer", "Dropwizard", "HdrHistogram"}) {
                assertFalse(license.contains(notBundled) || notice.contains(notBundled), notBundled);
            }
            assertTrue(notice.startsWith("Sluice agent"), notice);
            assertTrue(notice.contains("Copyright 2014 - Present Rafael Winterhalter"), "Byte Buddy's notice");
            assertTrue(jar.getEntry("META-INF/licenses/ASM") == null, "Byte Buddy's own licence folder left out");
        }
    }

    /** {@code java -jar <the shaded jar> args...}: exit code, stdout, stderr. */
    private static String[] runJar(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-jar");
        cmd.add(jar().getAbsolutePath());
        cmd.addAll(java.util.Arrays.asList(args));
        return exec(new ProcessBuilder(cmd));
    }

    @Test
    void javaDashJarPrintsVersionSparkLinesAndUsage() throws Exception {
        String version = System.getProperty("sluice.version", "0.1.0-SNAPSHOT");
        String[] r = runJar();
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("Sluice " + version + ": "), r[1]);
        assertTrue(r[1].contains("Spark lines: ") && r[1].contains("--check") && r[1].contains("--keys"), r[1]);
        r = runJar("--version");
        assertEquals("Sluice " + version, r[1].trim());
        r = runJar("--keys");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("| `sluice.strategy` | `throttle` |"), r[1]);
    }

    @Test
    void javaDashJarCheckAcceptsTheExamplesAndNamesTheKeyOfEachBadCase() throws Exception {
        java.io.File[] examples = new File("../examples/config").listFiles((d, n) -> n.endsWith(".properties"));
        assertTrue(examples != null && examples.length >= 4, "example configurations");
        for (File f : examples) {
            String[] r = runJar("--check", f.getAbsolutePath());
            assertEquals("0", r[0], f + ": " + r[2]);
            assertTrue(r[1].startsWith("Sluice: configuration valid: "), r[1]);
        }
        String[][] bad = {
                {"sluice.rate.min=abc", "key 'sluice.rate.min' has value 'abc'; allowed: a number > 0"},
                {"spark.sluice.strategy=dorp", "key 'spark.sluice.strategy' has value 'dorp'; allowed: throttle"},
                {"sluice.metrics.logInterval=10", "key 'sluice.metrics.logInterval' has value '10'"},
                {"sluice.stratgy=drop", "key 'sluice.stratgy' has value 'drop'; allowed: a known key"},
                {"sluice.guard.heap.relief=0.9", "key 'sluice.guard.heap.relief' has value '0.9'"},
        };
        for (String[] b : bad) {
            String[] r = runJar("--check", b[0]);
            assertEquals("1", r[0], b[0]);
            assertTrue(r[2].startsWith("Sluice: invalid configuration: " + b[1]), b[0] + ": " + r[2]);
        }
        String[] r = runJar("--check", "--classpath", new File("target/test-classes").getAbsolutePath(),
                "sluice.strategy=com.example.NoSuchStrategy");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("key 'sluice.strategy' names strategy class 'com.example.NoSuchStrategy'"), r[2]);
    }

    @Test
    void everyClassLoadsOnJava8AndThirdPartiesAreRelocated() throws IOException {
        int classes = 0;
        try (JarFile jar = new JarFile(jar())) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String name = e.getName();
                assertFalse(name.startsWith("org/slf4j/"), "SLF4J is the host's, not bundled: " + name);
                assertFalse(name.startsWith("net/bytebuddy/"), "Byte Buddy must be relocated: " + name);
                assertFalse(name.startsWith("io/micrometer/") || name.startsWith("dev/sluice/shaded/micrometer/"),
                        "no Micrometer: the meters live in Spark's metrics system: " + name);
                assertFalse(name.startsWith("com/codahale/") || name.startsWith("dev/sluice/shaded/codahale/"),
                        "Codahale metrics is Spark's, never bundled: " + name);
                assertFalse(name.startsWith("org/apache/spark/") || name.startsWith("scala/"), name);
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    byte[] b = read(jar, e);
                    int major = ((b[6] & 0xff) << 8) | (b[7] & 0xff);
                    assertTrue(major <= 52, name + " has class-file major version " + major);
                    if (name.startsWith("dev/sluice/") && !name.startsWith("dev/sluice/shaded/")) {
                        assertEquals(52, major, name);
                    }
                    classes++;
                }
            }
            assertTrue(jar.getEntry("dev/sluice/shaded/bytebuddy/agent/builder/AgentBuilder.class") != null);
            String source = new String(read(jar, jar.getJarEntry("dev/sluice/agent/metrics/SparkMetricsSource.class")),
                    StandardCharsets.ISO_8859_1);
            assertTrue(source.contains("com/codahale/metrics/MetricRegistry")
                    && source.contains("org/apache/spark/metrics/source/Source"), "the Spark source links against "
                    + "Spark's own Codahale and Source, unrelocated");
            String advice = new String(read(jar, jar.getJarEntry("dev/sluice/receiver/advice/StoreSingleAdvice.class")),
                    StandardCharsets.ISO_8859_1);
            assertTrue(advice.contains("dev/sluice/shaded/bytebuddy/asm/Advice"), "advice annotations relocated");
            assertFalse(advice.contains("net/bytebuddy"));
        }
        assertTrue(classes > 1000, "classes: " + classes);
    }

    /**
     * The pure modules' classes in the jar are the ones just built (shade leaves them byte for byte: they name no
     * relocated package). An incremental build once shipped a stale estimator: the jar plugin took the previous shaded
     * jar for an up-to-date plain jar and shade merged its old classes first.
     */
    @Test
    void pureModuleClassesAreTheCurrentBuild() throws IOException {
        int compared = 0;
        try (JarFile jar = new JarFile(jar())) {
            for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                String name = e.getName();
                if (!name.endsWith(".class")
                        || !(name.startsWith("dev/sluice/rate/") || name.startsWith("dev/sluice/strategy/"))) {
                    continue;
                }
                try (InputStream built = ShadedJarIT.class.getClassLoader().getResourceAsStream(name)) {
                    assertTrue(built != null, name + " is in the jar but not in the build");
                    assertTrue(java.util.Arrays.equals(readAll(built), read(jar, e)),
                            name + " in the jar differs from the build: a stale jar (mvn package -pl agent -am)");
                }
                compared++;
            }
        }
        assertTrue(compared > 20, "pure-module classes compared: " + compared);
    }

    /** Runs HelloMain (no Spark on the class path) with the agent; returns exit code, stdout and stderr. */
    private static String[] runWithAgent(String agentArgs) throws Exception {
        String javaBin = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        String agent = "-javaagent:" + jar().getAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs);
        return exec(new ProcessBuilder(javaBin, agent, "-cp", new File("target/test-classes").getAbsolutePath(),
                HelloMain.class.getName()));
    }

    private static String[] exec(ProcessBuilder pb) throws Exception {
        File out = File.createTempFile("sluice-it", ".out");
        File err = File.createTempFile("sluice-it", ".err");
        pb.redirectOutput(out).redirectError(err);
        Process p = pb.start();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "forked JVM did not finish");
        String[] r = {String.valueOf(p.exitValue()),
                new String(java.nio.file.Files.readAllBytes(out.toPath()), StandardCharsets.UTF_8),
                new String(java.nio.file.Files.readAllBytes(err.toPath()), StandardCharsets.UTF_8)};
        out.delete();
        err.delete();
        return r;
    }

    @Test
    void startsInAJvmWithoutSpark() throws Exception {
        String[] r = runWithAgent(null);
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("main ran"));
        assertFalse(r[2].contains("failed to start"), r[2]);
        // A plain main class: neither spark-submit nor an executor backend, and Spark never starts to say more.
        assertTrue(r[2].contains("Sluice " + System.getProperty("sluice.version", "0.1.0-SNAPSHOT")
                + " active in this JVM (driver or executor: read from Spark when it starts; premain"), r[2]);
    }

    @Test
    void badConfigurationPrintsOneLineAndRunsUninstrumented() throws Exception {
        String[] r = runWithAgent("sluice.rate.min=abc");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("main ran"));
        assertTrue(r[2].contains("Sluice: invalid configuration: key 'sluice.rate.min' has value 'abc'; allowed: a number > 0"),
                r[2]);
    }

    @Test
    void failOnErrorStopsTheJvmWithTheMessage() throws Exception {
        String[] r = runWithAgent("sluice.strategy=dropp,sluice.failOnError=true");
        assertEquals("1", r[0]);
        assertFalse(r[1].contains("main ran"));
        assertTrue(r[2].contains("key 'sluice.strategy' has value 'dropp'"), r[2]);
    }
}
