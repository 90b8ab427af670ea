package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.sluice.testbed.cluster.SparkHome;

/**
 * {@link AbstractStandaloneSmokeTest} with every Worker on a "host" of its own: two Workers, each in its own Linux
 * network namespace with its own address ({@link WorkerNamespaces}: a bridge holding {@code 10.213.7.1}, the Workers
 * on {@code 10.213.7.11} and {@code .12}), the Master and the client-mode driver in the root namespace on the bridge's
 * address. The executors a Worker launches, and the driver it launches in cluster mode, inherit its namespace, so
 * driver, Master and executors talk over veth interfaces and a bridge, not loopback; block replication
 * ({@code MEMORY_AND_DISK_SER_2}) crosses from one Worker's namespace to the other's.
 *
 * <p>Besides the common judgement, every run that completed must show where its JVMs ran: the Master lists the Workers
 * at the namespaces' addresses; while the run lasts, {@code ip netns identify} puts every executor JVM (and the
 * cluster-mode driver) in the namespace of the Worker that launched it, with an executor in each namespace; the
 * driver's log registers executors from exactly the namespaces' addresses; every executor was launched with
 * {@code --hostname} its namespace's address and connected to the driver at the driver's address (the root side in
 * client mode, the namespace of the Worker that runs it in cluster mode).
 *
 * <p>Needs root and iproute2. Where network namespaces cannot be made, every test here is reported <b>skipped</b>
 * (a JUnit assumption: Surefire counts it under "Skipped", never as passed), with the reason, and one line in
 * {@code smoke-runs/figures.txt} says so.
 */
class NamespacedStandaloneSmokeTest extends AbstractStandaloneSmokeTest {

    static final int WORKERS = 2;
    private static final Pattern REGISTERED = Pattern.compile("Registered executor .*\\(([0-9.]+):\\d+\\) with ID");
    private static final Pattern HOSTNAME = Pattern.compile("\"--hostname\" \"([^\"]+)\"");
    private static final Pattern CONNECTING = Pattern.compile("Connecting to driver: spark://CoarseGrainedScheduler@"
            + "([0-9.]+):\\d+");
    private static final Pattern MASTER_WORKER_HOST = Pattern.compile("\"host\"\\s*:\\s*\"([^\"]+)\"");

    private WorkerNamespaces namespaces;
    /** The executor and driver JVMs seen under each Worker during the current submission, by pid. */
    private final Map<Long, Seen> seen = new LinkedHashMap<>();

    /** A JVM a Worker launched ({@code kind}: executor or driver) and the namespace {@code ip netns identify} named. */
    private record Seen(long pid, String kind, int worker, String namespace) {
    }

    @Override
    StandaloneCluster startCluster(SparkHome cached, Path dir) {
        String unavailable = WorkerNamespaces.unavailableReason();
        if (unavailable != null) {
            Figures.record(name() + " " + VERSION + " tests SKIPPED, NOT PASSED (" + unavailable + ")");
        }
        assumeTrue(unavailable == null, () -> "SKIPPED, not passed: " + unavailable);
        namespaces = WorkerNamespaces.create(WORKERS);
        // Per Worker: 2 cores and 512 MB for one executor, 1 core and 1 GB for a cluster-mode driver. The Master
        // spreads an application's executors over the Workers, so each namespace gets one of the two executors.
        return StandaloneCluster.startInNamespaces(cached, dir, namespaces, 3, "2g");
    }

    @Override
    String name() {
        return "standalone-netns";
    }

    @Override
    void releaseEnvironment() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Override
    void submissionStarting() {
        seen.clear();
    }

    @Override
    void whileRunning() {
        for (int i = 0; i < cluster.workers().size(); i++) {
            int worker = i;
            // Direct children only: a process an executor forks shows the executor's command line until it execs.
            cluster.workers().get(i).children().forEach(h -> {
                if (!seen.containsKey(h.pid())) {
                    String cmd = commandLine(h.pid());
                    String kind = cmd.contains("CoarseGrainedExecutorBackend") ? "executor"
                            : cmd.contains("org.apache.spark.deploy.worker.DriverWrapper") ? "driver" : null;
                    if (kind != null) {
                        seen.put(h.pid(), new Seen(h.pid(), kind, worker, namespaces.identify(h.pid())));
                    }
                }
            });
        }
    }

    @Override
    void judgePlacement(OverloadRunData d, boolean client) {
        String mode = client ? "client" : "cluster";
        Set<String> nsAddresses = new TreeSet<>();
        for (int i = 0; i < namespaces.size(); i++) {
            nsAddresses.add(namespaces.address(i));
        }
        assertEquals(nsAddresses, matches(MASTER_WORKER_HOST, cluster.masterJson()),
                "the Master does not list the Workers at the namespaces' addresses");

        for (Seen s : seen.values()) {
            assertEquals(namespaces.name(s.worker()), s.namespace(), "the " + s.kind() + " JVM " + s.pid()
                    + " launched by Worker " + (s.worker() + 1) + " runs in another network namespace");
        }
        for (int i = 0; i < namespaces.size(); i++) {
            int worker = i;
            assertTrue(seen.values().stream().anyMatch(s -> s.kind().equals("executor") && s.worker() == worker),
                    mode + ": no executor JVM seen in " + namespaces.name(i) + "; seen: " + seen.values());
        }
        List<Seen> drivers = seen.values().stream().filter(s -> s.kind().equals("driver")).toList();
        String driverAddress;
        if (client) {
            assertTrue(drivers.isEmpty(), "a Worker launched a driver in client mode: " + drivers);
            driverAddress = namespaces.rootAddress;
        } else {
            assertEquals(1, drivers.size(), "cluster mode: the driver JVM was not seen under a Worker: " + seen);
            driverAddress = namespaces.address(drivers.get(0).worker());
        }

        Set<String> registered = matches(REGISTERED, d.run.driverOutput());
        assertEquals(nsAddresses, registered, mode + ": the driver registered executors from other addresses than "
                + "the namespaces'");
        List<Path> executorStderr = d.run.executorLogs().stream()
                .filter(p -> p.getFileName().toString().equals("stderr")).toList();
        assertFalse(executorStderr.isEmpty(), mode + ": no executor logs");
        Set<String> hostnames = new TreeSet<>();
        List<String> connectedTo = new ArrayList<>();
        for (Path p : executorStderr) {
            String log = read(p);
            hostnames.addAll(matches(HOSTNAME, log));
            Set<String> driver = matches(CONNECTING, log);
            assertEquals(Set.of(driverAddress), driver, mode + ": " + p + " did not connect to the driver at "
                    + driverAddress);
            connectedTo.addAll(driver);
        }
        assertEquals(nsAddresses, hostnames, mode + ": executors were launched with other --hostname values");

        Figures.record(String.format("%s %s %s: Workers at %s; JVMs by namespace (ip netns identify): %s; driver at "
                        + "%s registered executors from %s; %d executors connected to the driver at %s", name(),
                VERSION, mode, nsAddresses, seen.values().stream().map(s -> s.kind() + " " + s.pid() + " in "
                        + s.namespace()).collect(Collectors.joining(", ")), driverAddress, registered,
                connectedTo.size(), driverAddress));
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
