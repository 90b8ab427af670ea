package dev.sluice.smoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.sluice.testbed.cluster.SparkHome;

/**
 * What Spark's {@code bin/spark-class} does, for a Spark home assembled from Maven Central (which has {@code jars/} but
 * no scripts): ask {@code org.apache.spark.launcher.Main} for the command line of a Spark class and run that. So
 * {@code spark-submit} here is {@code SparkSubmit} through the launcher, exactly as the script runs it: in client mode
 * the launcher puts {@code spark.driver.extraJavaOptions} (hence {@code -javaagent}) on the driver's own JVM, which
 * running {@code SparkSubmit} with plain {@code java} would not.
 */
final class SparkClass {

    private SparkClass() {
    }

    /** The environment every Spark JVM of a home gets (the launcher reads SPARK_HOME and the Scala version from it). */
    static Map<String, String> environment(Path sparkHome, SparkHome cached) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", cached.version().scalaBinary());
        env.put("JAVA_HOME", javaHome());
        return env;
    }

    /** The command line {@code bin/spark-class <className> <args>} would run. */
    static List<String> command(Path sparkHome, SparkHome cached, String className, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(javaHome(), "bin", "java").toString());
        cmd.add("-Xmx128m");
        cmd.add("-cp");
        cmd.add(sparkHome.resolve("jars") + "/*");
        cmd.add("org.apache.spark.launcher.Main");
        cmd.add(className);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        pb.environment().putAll(environment(sparkHome, cached));
        try {
            Process p = pb.start();
            byte[] out = readAll(p.getInputStream());
            byte[] err = readAll(p.getErrorStream());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Spark's launcher failed for " + className + ": "
                        + new String(err, StandardCharsets.UTF_8));
            }
            // As bin/spark-class reads it: message lines, then "\0\n", then the command's NUL-separated arguments.
            String text = new String(out, StandardCharsets.UTF_8);
            int start = text.indexOf("\0\n");
            if (start < 0) {
                throw new IllegalStateException("Spark's launcher printed no command for " + className + ": " + text);
            }
            List<String> result = new ArrayList<>();
            for (String token : text.substring(start + 2).split("\0")) {
                if (!token.isEmpty()) {
                    result.add(token);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts {@code command} with the home's environment, output to {@code <dir>/<name>-stdout.log}/{@code -stderr.log}. */
    static Process start(List<String> command, Path sparkHome, SparkHome cached, Path workingDir, Path dir,
                         String name) {
        return start(command, sparkHome, cached, workingDir, dir, name, Map.of());
    }

    /** As {@link #start(List, Path, SparkHome, Path, Path, String)}, with {@code extraEnvironment} added. */
    static Process start(List<String> command, Path sparkHome, SparkHome cached, Path workingDir, Path dir,
                         String name, Map<String, String> extraEnvironment) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + "-command.txt"), command, StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectOutput(dir.resolve(name + "-stdout.log").toFile())
                    .redirectError(dir.resolve(name + "-stderr.log").toFile());
            pb.environment().putAll(environment(sparkHome, cached));
            pb.environment().putAll(extraEnvironment);
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Stops a process and everything it started (a Worker's executors and drivers), by their pids. */
    static void stopTree(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static String javaHome() {
        String env = System.getenv("JAVA_HOME");
        return env != null && !env.isBlank() && Files.isExecutable(Path.of(env, "bin", "java")) ? env
                : System.getProperty("java.home");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
