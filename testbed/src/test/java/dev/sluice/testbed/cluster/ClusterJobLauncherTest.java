package dev.sluice.testbed.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver's command line and environment, built without starting Spark. */
class ClusterJobLauncherTest {

    @TempDir
    Path tmp;

    private LaunchSpec.Builder base(String version) {
        SparkHome home = new SparkHome(SparkVersion.parse(version), tmp.resolve("home"));
        return LaunchSpec.builder().home(home).appJar(tmp.resolve("app.jar")).mainClass("com.acme.Job")
                .appArgs("a=1", "b=2").runDir(tmp.resolve("run"));
    }

    @Test
    void agentGoesOnTheDriverCommandLineAndIntoExecutorOptionsWithAbsolutePaths() {
        Path jar = tmp.resolve("agent.jar");
        LaunchSpec spec = base("3.5.7").agent(AgentAttachment.withConfigFile(jar, tmp.resolve("s.properties")))
                .addExecutorJavaOption("-Dprobe=1").build();
        List<String> cmd = ClusterJobLauncher.command(spec, tmp.resolve("overlay"));
        String agentOpt = "-javaagent:" + jar.toAbsolutePath() + "=config=" + tmp.resolve("s.properties");
        assertTrue(cmd.contains(agentOpt), cmd.toString());
        assertTrue(cmd.indexOf(agentOpt) < cmd.indexOf("com.acme.Job"), "JVM option after the main class");
        assertTrue(cmd.contains("-Dspark.executor.extraJavaOptions=" + agentOpt + " -Dprobe=1"), cmd.toString());
        assertTrue(cmd.contains("-Dspark.master=local-cluster[2,2,1024]"));
        assertTrue(cmd.contains("-Dspark.executor.memory=512m"));
        assertTrue(cmd.contains("-Dspark.executor.extraClassPath=" + tmp.resolve("app.jar")));
        assertTrue(cmd.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        int cp = cmd.indexOf("-cp");
        assertEquals(tmp.resolve("overlay").resolve("jars") + "/*:" + tmp.resolve("app.jar"), cmd.get(cp + 1));
        assertEquals(List.of("com.acme.Job", "a=1", "b=2"), cmd.subList(cmd.size() - 3, cmd.size()));
    }

    @Test
    void withoutAgentNoJavaagentAnywhere() {
        LaunchSpec spec = base("4.1.0").build();
        List<String> cmd = ClusterJobLauncher.command(spec, tmp);
        assertFalse(cmd.stream().anyMatch(s -> s.contains("-javaagent")), cmd.toString());
        assertFalse(cmd.stream().anyMatch(s -> s.startsWith("-Dspark.executor.extraJavaOptions")));
        assertTrue(cmd.contains("--enable-native-access=ALL-UNNAMED"), "4.1 module flags");
        assertTrue(cmd.contains("-Dspark.executorEnv.SPARK_SCALA_VERSION=2.13"));
    }

    @Test
    void modesDeriveVariantsOfOneBaseSpec() throws Exception {
        Path jar = Files.createFile(tmp.resolve("agent.jar"));
        LaunchSpec base = base("3.5.7").build();
        LaunchSpec spark = Modes.sparkBackpressure(base, tmp.resolve("spark"), 4000);
        assertEquals("true", spark.sparkConf().get("spark.streaming.backpressure.enabled"));
        assertEquals("4000", spark.sparkConf().get("spark.streaming.backpressure.initialRate"));
        assertEquals(null, spark.agent());
        LaunchSpec tuned = Modes.sparkTuned(base, tmp.resolve("tuned"), 1500);
        assertEquals("true", tuned.sparkConf().get("spark.streaming.backpressure.enabled"));
        assertEquals("1500", tuned.sparkConf().get("spark.streaming.backpressure.initialRate"));
        assertEquals("1500", tuned.sparkConf().get("spark.streaming.receiver.maxRate"));
        assertEquals(tmp.resolve("tuned"), tuned.runDir());
        LaunchSpec sluice = Modes.sluice(base, tmp.resolve("sluice"), jar, tmp.resolve("s.properties"));
        assertEquals(jar.toAbsolutePath(), sluice.agent().jar());
        assertEquals(tmp.resolve("sluice"), sluice.runDir());
        LaunchSpec stock = Modes.stock(spark, tmp.resolve("stock"));
        assertFalse(stock.sparkConf().containsKey("spark.streaming.backpressure.enabled"));
        assertEquals(base.appArgs(), stock.appArgs());
        assertThrows(IllegalStateException.class,
                () -> Modes.sluice(base, tmp.resolve("x"), tmp.resolve("missing.jar"), tmp.resolve("s")));
    }

    @Test
    void environmentNamesHomeScalaAndLocalDirs() {
        LaunchSpec spec = base("3.5.7").env("EXTRA", "1").build();
        Map<String, String> env = ClusterJobLauncher.environment(spec, tmp.resolve("overlay"), tmp.resolve("local"));
        assertEquals(tmp.resolve("overlay").toString(), env.get("SPARK_HOME"));
        assertEquals("2.12", env.get("SPARK_SCALA_VERSION"));
        assertEquals(tmp.resolve("local").toString(), env.get("SPARK_LOCAL_DIRS"));
        assertEquals("1", env.get("EXTRA"));
    }

    @Test
    void rejectsExecutorMemoryAboveWorkerMemoryAndAgentArgsWithSpaces() {
        assertThrows(IllegalArgumentException.class, () -> base("3.5.7").executorMemory("2g").build());
        assertEquals(1024, LaunchSpec.megabytes("1g"));
        assertEquals(512, LaunchSpec.megabytes("512m"));
        assertEquals(512, LaunchSpec.megabytes("512"));
        assertThrows(IllegalArgumentException.class, () -> new AgentAttachment(tmp, "a=b c"));
    }

    @Test
    void overlayHomeLinksTheCachedJarsAndHasItsOwnWorkDir() throws Exception {
        SparkHome home = new SparkHome(SparkVersion.SPARK_3_5, tmp.resolve("home"));
        Files.createDirectories(home.jarsDir());
        Files.createFile(home.jarsDir().resolve("spark-core.jar"));
        Path overlay = ClusterJobLauncher.prepareOverlayHome(home, tmp.resolve("run"));
        assertTrue(Files.isRegularFile(overlay.resolve("jars").resolve("spark-core.jar")));
        assertTrue(Files.isDirectory(overlay.resolve("work")));
        // idempotent
        ClusterJobLauncher.prepareOverlayHome(home, tmp.resolve("run"));
    }

    @Test
    void snapshotsPointTheSpecAtCopiesInTheRunDirectory() throws Exception {
        Path app = tmp.resolve("app.jar");
        Path agent = tmp.resolve("agent.jar");
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        mf.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Premain-Class", "com.acme.Agent");
        for (Path p : new Path[] {app, agent}) {
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(p), mf)) {
                out.putNextEntry(new java.util.jar.JarEntry("x.txt"));
                out.write(1);
            }
        }
        LaunchSpec spec = base("3.5.7").agent(new AgentAttachment(agent, "sluice.strategy=drop")).build();
        LaunchSpec snap = ClusterJobLauncher.withSnapshots(spec);
        assertEquals(tmp.resolve("run/snapshot/app.jar"), snap.appJar());
        assertEquals(tmp.resolve("run/snapshot/agent.jar"), snap.agent().jar());
        assertEquals("sluice.strategy=drop", snap.agent().args());
        assertTrue(Files.isRegularFile(snap.appJar()));
    }

    @Test
    void homePomImportsSparkParentAsBom() {
        String pom = SparkHomes.pomFor(SparkVersion.SPARK_4_1);
        assertTrue(pom.contains("<artifactId>spark-parent_2.13</artifactId>"), pom);
        assertTrue(pom.contains("<scope>import</scope>"));
        assertTrue(pom.contains("<artifactId>spark-streaming_2.13</artifactId>"));
        assertTrue(pom.contains("<version>4.1.0</version>"));
    }
}
