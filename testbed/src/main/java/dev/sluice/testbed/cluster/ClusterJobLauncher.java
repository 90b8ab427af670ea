package dev.sluice.testbed.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Starts a Spark Streaming driver as its own {@code java} process on {@code local-cluster}, the way a user's
 * {@code spark-submit} would, but without Spark's scripts: the JVM module flags of the Spark line, the agent on the
 * driver's command line and in {@code spark.executor.extraJavaOptions}, class path {@code <home>/jars/*:<app jar>}.
 *
 * <p>Each run gets its own directory: {@code driver-stdout.log}, {@code driver-stderr.log}, {@code command.txt},
 * {@code local/} (SPARK_LOCAL_DIRS) and {@code spark-home/}, an overlay of the cached home whose {@code jars} links to
 * the shared jars and whose {@code work/} receives this run's executor logs ({@code work/app-* /<executorId>/}). The
 * overlay keeps concurrent runs (other tests, other sessions) from mixing executor logs and makes every JVM of the
 * run recognisable by its class path, so that none outlives the run.
 */
public final class ClusterJobLauncher {

    private ClusterJobLauncher() {
    }

    /** Runs to completion (or timeout, then kills the process tree) and returns the result. */
    public static RunResult run(LaunchSpec spec) {
        try (DriverProcess driver = start(spec)) {
            return driver.await();
        }
    }

    /** Starts the driver; the caller must {@link DriverProcess#await()} or close it. */
    public static DriverProcess start(LaunchSpec spec) {
        try {
            Path runDir = spec.runDir();
            Files.createDirectories(runDir);
            if (spec.snapshotJars()) {
                spec = withSnapshots(spec);
            }
            Path overlay = prepareOverlayHome(spec.home(), runDir);
            Path local = Files.createDirectories(runDir.resolve("local"));
            List<String> cmd = command(spec, overlay);
            Files.write(runDir.resolve("command.txt"), cmd, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(runDir.toFile())
                    .redirectOutput(runDir.resolve("driver-stdout.log").toFile())
                    .redirectError(runDir.resolve("driver-stderr.log").toFile());
            pb.environment().putAll(environment(spec, overlay, local));
            long started = System.currentTimeMillis();
            Process p = pb.start();
            return new DriverProcess(spec, p, overlay, started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the driver in " + spec.runDir(), e);
        }
    }

    /**
     * Copies the application jar and the agent jar into {@code <run>/snapshot/} and points the spec at the copies.
     * Executors open the application jar lazily, minutes into a run: a concurrent {@code mvn package} of the same
     * module rewrites it under them (seen here: ClassNotFoundException for the receiver class in every executor).
     */
    static LaunchSpec withSnapshots(LaunchSpec spec) throws IOException {
        Path dir = Files.createDirectories(spec.runDir().resolve("snapshot"));
        LaunchSpec.Builder b = spec.toBuilder().appJar(snapshot(spec.appJar(), dir, null));
        if (spec.agent() != null) {
            b.agent(new AgentAttachment(snapshot(spec.agent().jar(), dir, "Premain-Class"), spec.agent().args()));
        }
        return b.build();
    }

    /**
     * @param requiredManifestAttribute for the agent: {@code Premain-Class}. A {@code mvn package} of the agent first
     *        writes the plain jar and seconds later the shaded one over it; a copy taken in between (seen here) is a
     *        valid jar that no JVM accepts as an agent.
     */
    private static Path snapshot(Path jar, Path dir, String requiredManifestAttribute) throws IOException {
        Path copy = dir.resolve(jar.getFileName());
        IOException last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            try {
                Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (java.util.jar.JarFile check = new java.util.jar.JarFile(copy.toFile())) {
                    java.util.jar.Manifest mf = check.getManifest();
                    boolean attributeOk = requiredManifestAttribute == null || (mf != null
                            && mf.getMainAttributes().getValue(requiredManifestAttribute) != null);
                    if (check.size() > 0 && attributeOk) {
                        return copy;
                    }
                    last = new IOException(jar + " has no " + requiredManifestAttribute + " in its manifest");
                }
            } catch (IOException e) {
                last = e; // copied while being rewritten: try again
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IOException("cannot take a readable copy of " + jar, last);
    }

    /** The driver's command line (visible for tests and for {@code command.txt}). */
    public static List<String> command(LaunchSpec spec, Path sparkHome) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add("-Xmx" + spec.driverMemory());
        cmd.addAll(spec.home().version().driverModuleFlags());
        if (spec.agent() != null) {
            // spark.driver.extraJavaOptions has no effect on a driver that is already running: the agent goes here.
            cmd.add(spec.agent().jvmOption());
        }
        cmd.addAll(spec.driverJvmOptions());
        for (Map.Entry<String, String> e : sparkProperties(spec).entrySet()) {
            cmd.add("-D" + e.getKey() + "=" + e.getValue());
        }
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars").toAbsolutePath() + "/*" + java.io.File.pathSeparator + applicationClassPath(spec));
        cmd.add(spec.mainClass());
        cmd.addAll(spec.appArgs());
        return cmd;
    }

    /** The spark.* properties the driver's SparkConf picks up from system properties. */
    public static Map<String, String> sparkProperties(LaunchSpec spec) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("spark.master", spec.master());
        props.put("spark.executor.memory", spec.executorMemory());
        props.put("spark.executor.extraClassPath", applicationClassPath(spec));
        props.put("spark.executorEnv.SPARK_SCALA_VERSION", spec.home().version().scalaBinary());
        props.putAll(spec.sparkConf());
        List<String> executorOpts = new ArrayList<>();
        if (spec.agent() != null) {
            executorOpts.add(spec.agent().jvmOption());
        }
        executorOpts.addAll(spec.executorJavaOptions());
        String userOpts = spec.sparkConf().get("spark.executor.extraJavaOptions");
        if (userOpts != null && !userOpts.isBlank()) {
            executorOpts.add(userOpts);
        }
        if (executorOpts.isEmpty()) {
            props.remove("spark.executor.extraJavaOptions");
        } else {
            props.put("spark.executor.extraJavaOptions", String.join(" ", executorOpts));
        }
        return props;
    }

    /** The application jar, then the jars it ships beside it. */
    static String applicationClassPath(LaunchSpec spec) {
        StringBuilder cp = new StringBuilder(spec.appJar().toString());
        for (Path p : spec.extraClassPath()) {
            cp.append(java.io.File.pathSeparator).append(p);
        }
        return cp.toString();
    }

    static Map<String, String> environment(LaunchSpec spec, Path overlay, Path localDirs) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", overlay.toAbsolutePath().toString());
        env.put("SPARK_SCALA_VERSION", spec.home().version().scalaBinary());
        env.put("SPARK_LOCAL_DIRS", localDirs.toAbsolutePath().toString());
        env.put("JAVA_HOME", javaHome().toString());
        env.putAll(spec.environment());
        return env;
    }

    /** {@code <run>/spark-home} with {@code jars -> <cached home>/jars} and its own {@code work/}. */
    static Path prepareOverlayHome(SparkHome home, Path runDir) throws IOException {
        Path overlay = runDir.resolve("spark-home");
        Files.createDirectories(overlay.resolve("work"));
        Path jars = overlay.resolve("jars");
        if (!Files.exists(jars, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(jars, home.jarsDir().toAbsolutePath());
        }
        return overlay;
    }

    /** Java 17 from JAVA_HOME when set, else the running JVM's home (Spark 4.1 executors crash-loop on Java 25). */
    static Path javaHome() {
        String env = System.getenv("JAVA_HOME");
        if (env != null && !env.isBlank() && Files.isExecutable(Paths.get(env, "bin", "java"))) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("java.home"));
    }

    static String javaExecutable() {
        return javaHome().resolve("bin").resolve("java").toString();
    }

    static String describe(List<String> cmd) {
        return cmd.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).collect(Collectors.joining(" "));
    }
}
