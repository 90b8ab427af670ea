package dev.sluice.smoke;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linux network namespaces that make one machine look like several hosts to Spark: a bridge in this (the root)
 * namespace holding the first address of a /24, and per Worker a network namespace joined to the bridge by a veth pair,
 * with an address of its own ({@code .11}, {@code .12}, ...) and its own loopback. A command started through
 * {@link #exec(int, List)} runs in namespace {@code i}, and every process it starts (a Worker's executors and drivers)
 * inherits it, so traffic between the root namespace and a Worker's JVMs, or between two Workers' JVMs, crosses real
 * interfaces (veth, bridge) instead of loopback.
 *
 * <p>Needs root and iproute2's {@code ip}. Every name it creates starts with {@code sluice-}; {@link #close()} removes
 * them, and {@link #create(int)} first removes whatever an earlier run that crashed left under the same names
 * (killing, by pid, the processes still inside those namespaces: only this class's runs put processes there).
 */
final class WorkerNamespaces implements AutoCloseable {

    static final String SUBNET = "10.213.7";
    static final String BRIDGE = "sluice-br0";
    private static final String NS_PREFIX = "sluice-ns-w";
    private static final String VETH_PREFIX = "sluice-w";
    private static final List<String> IP_CANDIDATES = List.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip");

    final String rootAddress = SUBNET + ".1";
    private final String ip;
    private final List<String> names = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();

    private WorkerNamespaces(String ip) {
        this.ip = ip;
    }

    /**
     * Why namespaces cannot be made here (no {@code ip}, not root, the kernel refuses, or the subnet is taken), or null
     * when they can. Probes by creating and deleting one namespace.
     */
    static String unavailableReason() {
        String ip = ipCommand();
        if (ip == null) {
            return "no iproute2 'ip' command in " + IP_CANDIDATES;
        }
        removeLeftovers(ip);
        String probe = NS_PREFIX + "probe";
        Result add = run(ip, "netns", "add", probe);
        if (add.exit != 0) {
            return "'ip netns add' failed (root and CAP_SYS_ADMIN are needed): " + add.output.trim();
        }
        run(ip, "netns", "del", probe);
        Result addrs = run(ip, "-4", "-o", "addr", "show");
        if (addrs.output.contains(" " + SUBNET + ".")) {
            return "the subnet " + SUBNET + ".0/24 is already used on this machine: " + addrs.output.trim();
        }
        return null;
    }

    /** Creates the bridge and {@code workers} namespaces, after removing leftovers of an earlier run. */
    static WorkerNamespaces create(int workers) {
        String ip = ipCommand();
        if (ip == null) {
            throw new IllegalStateException("no iproute2 'ip' command");
        }
        removeLeftovers(ip);
        WorkerNamespaces n = new WorkerNamespaces(ip);
        try {
            n.must("link", "add", BRIDGE, "type", "bridge");
            n.must("addr", "add", n.rootAddress + "/24", "dev", BRIDGE);
            n.must("link", "set", BRIDGE, "up");
            for (int i = 1; i <= workers; i++) {
                String ns = NS_PREFIX + i;
                String host = VETH_PREFIX + i + "h";
                String inside = VETH_PREFIX + i + "n";
                String address = SUBNET + "." + (10 + i);
                n.must("netns", "add", ns);
                n.names.add(ns);
                n.must("link", "add", host, "type", "veth", "peer", "name", inside);
                n.must("link", "set", host, "master", BRIDGE);
                n.must("link", "set", host, "up");
                n.must("link", "set", inside, "netns", ns);
                n.must("-n", ns, "addr", "add", address + "/24", "dev", inside);
                n.must("-n", ns, "link", "set", inside, "up");
                n.must("-n", ns, "link", "set", "lo", "up");
                n.addresses.add(address);
            }
            return n;
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
    }

    int size() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    String address(int i) {
        return addresses.get(i);
    }

    /** {@code command} as run inside namespace {@code i} ({@code ip netns exec} execs it: the pid stays the same). */
    List<String> exec(int i, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of(ip, "netns", "exec", names.get(i)));
        cmd.addAll(command);
        return cmd;
    }

    /** The namespace a process runs in, as {@code ip netns identify} names it ("" for the root namespace). */
    String identify(long pid) {
        Result r = run(ip, "netns", "identify", String.valueOf(pid));
        return r.exit == 0 ? r.output.trim() : "(ip netns identify failed: " + r.output.trim() + ")";
    }

    @Override
    public void close() {
        for (String ns : names) {
            killProcessesIn(ip, ns);
            run(ip, "netns", "del", ns);
        }
        // Deleting a namespace deletes the veth end inside it, and with it the pair; the bridge is left.
        run(ip, "link", "del", BRIDGE);
        names.clear();
    }

    private void must(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ip));
        cmd.addAll(List.of(args));
        Result r = run(cmd.toArray(new String[0]));
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + r.exit + "): " + r.output);
        }
    }

    private static void removeLeftovers(String ip) {
        for (String line : run(ip, "netns", "list").output.split("\n")) {
            String ns = line.trim().split("\\s+")[0];
            if (ns.startsWith(NS_PREFIX)) {
                killProcessesIn(ip, ns);
                run(ip, "netns", "del", ns);
            }
        }
        for (String line : run(ip, "-o", "link", "show").output.split("\n")) {
            // "12: sluice-w1h@if11: <...>" or "12: sluice-br0: <...>"
            String[] parts = line.split(":\\s+", 3);
            if (parts.length > 1) {
                String name = parts[1].split("@")[0];
                if (name.equals(BRIDGE) || name.startsWith(VETH_PREFIX)) {
                    run(ip, "link", "del", name);
                }
            }
        }
    }

    private static void killProcessesIn(String ip, String ns) {
        for (String pid : run(ip, "netns", "pids", ns).output.split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static String ipCommand() {
        return IP_CANDIDATES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            p.getInputStream().transferTo(out);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
