package dev.sluice.testbed.cluster;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A running driver and every JVM it caused (Spark's executors). {@link #close()} leaves none behind: the driver's
 * descendants are remembered while it runs, and any process whose command line names this run's directory is ended
 * too (an executor whose driver died is re-parented and is no longer a descendant).
 */
public final class DriverProcess implements AutoCloseable {

    private static final long GRACE_MILLIS = 8_000;

    private final LaunchSpec spec;
    private final Process process;
    private final Path overlayHome;
    private final long startedMillis;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();
    private RunResult result;

    DriverProcess(LaunchSpec spec, Process process, Path overlayHome, long startedMillis) {
        this.spec = spec;
        this.process = process;
        this.overlayHome = overlayHome;
        this.startedMillis = startedMillis;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public LaunchSpec spec() {
        return spec;
    }

    /** Waits for the driver to exit within the spec's timeout; on timeout kills the whole tree. */
    public synchronized RunResult await() {
        if (result != null) {
            return result;
        }
        long deadline = startedMillis + spec.timeout().toMillis();
        boolean timedOut = false;
        try {
            while (process.isAlive()) {
                remember();
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                process.waitFor(Math.min(left, 1_000), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
        }
        killTree();
        int exit = process.isAlive() ? -1 : process.exitValue();
        result = new RunResult(spec.runDir(), overlayHome, exit, timedOut,
                System.currentTimeMillis() - startedMillis);
        return result;
    }

    /** Ends the driver (gracefully first, so Spark stops its executors) and every JVM of this run. */
    public synchronized void killTree() {
        remember();
        if (process.isAlive()) {
            process.destroy();
            try {
                process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        remember();
        process.destroyForcibly();
        for (ProcessHandle h : seen) {
            h.destroyForcibly();
        }
        String marker = spec.runDir().toString();
        ProcessHandle.allProcesses()
                .filter(h -> h.pid() != ProcessHandle.current().pid())
                .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void remember() {
        process.descendants().forEach(seen::add);
    }

    @Override
    public void close() {
        if (result == null) {
            killTree();
        }
    }
}
