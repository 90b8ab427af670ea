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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.testbed.cluster.SparkHome;

/**
 * A Spark standalone cluster on this machine, as {@code sbin/start-master.sh} and {@code sbin/start-worker.sh} start
 * one: a Master JVM and one or more Worker JVMs, each {@code org.apache.spark.deploy.*} run through Spark's launcher, the Worker
 * launching executors (and, in cluster deploy mode, drivers) as JVMs of their own. Its home is an overlay of the cached
 * Spark home ({@code jars} linked, {@code work/} its own), so the Worker's work directory holds only this cluster's
 * application and driver logs. The Workers run on loopback next to the Master, or each in a network namespace of its
 * own ({@link WorkerNamespaces}). {@link #close()} stops the Workers (and every JVM they started) and the Master by pid.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    final SparkHome cached;
    final Path home;
    final Path dir;
    final String masterHost;
    final String masterUrl;
    private final int masterWebUiPort;
    private final Map<String, String> localEnvironment;
    private final List<Path> workDirs = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private Process master;

    private StandaloneCluster(SparkHome cached, Path dir, String masterHost, int masterPort, int masterWebUiPort,
                              Map<String, String> localEnvironment) {
        this.cached = cached;
        this.dir = dir;
        this.home = dir.resolve("spark-home");
        this.masterHost = masterHost;
        this.masterUrl = "spark://" + masterHost + ":" + masterPort;
        this.masterWebUiPort = masterWebUiPort;
        this.localEnvironment = localEnvironment;
    }

    /** Starts the Master and one Worker with {@code cores} and {@code memory}, and waits until the Worker registered. */
    static StandaloneCluster start(SparkHome cached, Path dir, int cores, String memory) {
        StandaloneCluster c = new StandaloneCluster(cached, dir, "127.0.0.1", freePort(), freePort(), Map.of());
        return c.startMasterAndWorkers(List.of(new WorkerSpec("127.0.0.1", cmd -> cmd, Map.of())), cores, memory);
    }

    /**
     * Starts the Master on the namespaces' root-side address and one Worker in each namespace, on that namespace's
     * address ({@code --host} and {@code SPARK_LOCAL_IP}, which the executors and drivers the Worker starts inherit
     * with its namespace). Processes of this side ({@link #localEnvironment()}) bind the root-side address too.
     */
    static StandaloneCluster startInNamespaces(SparkHome cached, Path dir, WorkerNamespaces ns, int coresPerWorker,
                                               String memoryPerWorker) {
        StandaloneCluster c = new StandaloneCluster(cached, dir, ns.rootAddress, freePort(), freePort(),
                Map.of("SPARK_LOCAL_IP", ns.rootAddress));
        List<WorkerSpec> workers = new ArrayList<>();
        for (int i = 0; i < ns.size(); i++) {
            int index = i;
            workers.add(new WorkerSpec(ns.address(i), cmd -> ns.exec(index, cmd),
                    Map.of("SPARK_LOCAL_IP", ns.address(i))));
        }
        return c.startMasterAndWorkers(workers, coresPerWorker, memoryPerWorker);
    }

    /** A Worker's address, how its command is wrapped (e.g. run in a namespace) and its extra environment. */
    private record WorkerSpec(String host, UnaryOperator<List<String>> wrap, Map<String, String> environment) {
    }

    private StandaloneCluster startMasterAndWorkers(List<WorkerSpec> specs, int cores, String memory) {
        try {
            OverloadRunner.deleteRecursively(dir);
            Path jars = home.resolve("jars");
            Files.createDirectories(home);
            if (!Files.exists(jars, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(jars, cached.jarsDir().toAbsolutePath());
            }
            String port = masterUrl.substring(masterUrl.lastIndexOf(':') + 1);
            master = SparkClass.start(SparkClass.command(home, cached, "org.apache.spark.deploy.master.Master",
                    List.of("--host", masterHost, "--port", port, "--webui-port", String.valueOf(masterWebUiPort))),
                    home, cached, dir, dir, "master", localEnvironment);
            for (int i = 0; i < specs.size(); i++) {
                WorkerSpec w = specs.get(i);
                // One work directory per Worker ("work" for a single one, as sbin/start-worker.sh would use).
                Path work = home.resolve(specs.size() == 1 ? "work" : "work-" + (i + 1));
                Files.createDirectories(work);
                workDirs.add(work);
                List<String> cmd = SparkClass.command(home, cached, "org.apache.spark.deploy.worker.Worker",
                        List.of("--host", w.host(), "--webui-port", String.valueOf(freePort()), "--cores",
                                String.valueOf(cores), "--memory", memory, "--work-dir", work.toString(), masterUrl));
                workers.add(SparkClass.start(w.wrap().apply(cmd), home, cached, dir, dir,
                        specs.size() == 1 ? "worker" : "worker-" + (i + 1), w.environment()));
            }
            awaitWorkers(specs.size());
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
        }
    }

    /** Where each Worker keeps its applications' and drivers' directories, in the order the Workers started. */
    List<Path> workDirs() {
        return workDirs;
    }

    /** The Worker JVMs, in the order they started (their descendants are the executors and drivers they launched). */
    List<Process> workers() {
        return workers;
    }

    /** What a process on the Master's side (spark-submit, a client-mode driver) needs to bind the Master's address. */
    Map<String, String> localEnvironment() {
        return localEnvironment;
    }

    String masterLog() throws IOException {
        return Files.readString(dir.resolve("master-stderr.log"), StandardCharsets.UTF_8);
    }

    private void awaitWorkers(int expected) {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the Master exited; see " + dir);
            }
            if (workers.stream().anyMatch(w -> !w.isAlive())) {
                throw new IllegalStateException("a Worker exited; see " + dir);
            }
            last = masterJson();
            Matcher m = ALIVE_WORKERS.matcher(last);
            if (m.find() && Integer.parseInt(m.group(1)) >= expected) {
                return;
            }
            sleep(1_000);
        }
        throw new IllegalStateException(expected + " Workers did not register with the Master within 120 s; last "
                + "state: " + last + "; see " + dir);
    }

    /** The Master's state as its web UI serves it ({@code /json/}); empty while it does not answer. */
    String masterJson() {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://" + masterHost + ":" + masterWebUiPort + "/json/")
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
        workers.forEach(SparkClass::stopTree);
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
