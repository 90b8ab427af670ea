package dev.sluice.smoke;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.testbed.cluster.SparkHome;

/**
 * A Spark standalone cluster on this machine, as {@code sbin/start-master.sh} and {@code sbin/start-worker.sh} start
 * one: a Master JVM and a Worker JVM, each {@code org.apache.spark.deploy.*} run through Spark's launcher, the Worker
 * launching executors (and, in cluster deploy mode, drivers) as JVMs of their own. Its home is an overlay of the cached
 * Spark home ({@code jars} linked, {@code work/} its own), so the Worker's work directory holds only this cluster's
 * application and driver logs. {@link #close()} stops the Worker (and every JVM it started) and the Master by pid.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    final SparkHome cached;
    final Path home;
    final Path dir;
    final String masterUrl;
    private final int masterWebUiPort;
    private Process master;
    private Process worker;

    private StandaloneCluster(SparkHome cached, Path dir, int masterPort, int masterWebUiPort) {
        this.cached = cached;
        this.dir = dir;
        this.home = dir.resolve("spark-home");
        this.masterUrl = "spark://127.0.0.1:" + masterPort;
        this.masterWebUiPort = masterWebUiPort;
    }

    /** Starts the Master and one Worker with {@code cores} and {@code memory}, and waits until the Worker registered. */
    static StandaloneCluster start(SparkHome cached, Path dir, int cores, String memory) {
        StandaloneCluster c = new StandaloneCluster(cached, dir, freePort(), freePort());
        try {
            OverloadRunner.deleteRecursively(dir);
            Files.createDirectories(c.home.resolve("work"));
            Path jars = c.home.resolve("jars");
            if (!Files.exists(jars, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(jars, cached.jarsDir().toAbsolutePath());
            }
            String port = c.masterUrl.substring(c.masterUrl.lastIndexOf(':') + 1);
            c.master = SparkClass.start(SparkClass.command(c.home, cached, "org.apache.spark.deploy.master.Master",
                    List.of("--host", "127.0.0.1", "--port", port, "--webui-port",
                            String.valueOf(c.masterWebUiPort))), c.home, cached, dir, dir, "master");
            c.worker = SparkClass.start(SparkClass.command(c.home, cached, "org.apache.spark.deploy.worker.Worker",
                    List.of("--host", "127.0.0.1", "--webui-port", String.valueOf(freePort()), "--cores",
                            String.valueOf(cores), "--memory", memory, "--work-dir", c.workDir().toString(),
                            c.masterUrl)), c.home, cached, dir, dir, "worker");
            c.awaitWorker();
            return c;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
        }
    }

    Path workDir() {
        return home.resolve("work");
    }

    String masterLog() throws IOException {
        return Files.readString(dir.resolve("master-stderr.log"), StandardCharsets.UTF_8);
    }

    private void awaitWorker() {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            if (!master.isAlive() || !worker.isAlive()) {
                throw new IllegalStateException("the " + (master.isAlive() ? "Worker" : "Master") + " exited; see "
                        + dir);
            }
            last = masterJson();
            Matcher m = ALIVE_WORKERS.matcher(last);
            if (m.find() && Integer.parseInt(m.group(1)) >= 1) {
                return;
            }
            sleep(1_000);
        }
        throw new IllegalStateException("no Worker registered with the Master within 120 s; last state: " + last
                + "; see " + dir);
    }

    /** The Master's state as its web UI serves it ({@code /json/}); empty while it does not answer. */
    String masterJson() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + masterWebUiPort + "/json/")
                    .openConnection();
            c.setConnectTimeout(2_000);
            c.setReadTimeout(5_000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        SparkClass.stopTree(worker);
        SparkClass.stopTree(master);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
