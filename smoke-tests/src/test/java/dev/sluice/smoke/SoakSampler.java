package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.sluice.testbed.cluster.DriverProcess;

/**
 * Samples the resources of a running application's JVMs from outside, for a soak: the driver (whose JVM also hosts
 * local-cluster's Master and Workers) and every executor JVM Spark started for it (descendants of the driver whose
 * command line is Spark's {@code CoarseGrainedExecutorBackend}, as {@link ExecutorJvms} identifies them).
 *
 * <p>Every {@code sampleMs}: live threads ({@code /proc/<pid>/status}, {@code Threads:}), Sluice's threads by name
 * ({@code /proc/<pid>/task/<tid>/comm}: the JVM gives each Java thread its name, cut to 15 characters; Sluice's all
 * start with {@code sluice-}), and the heap after the collections of the interval from the JVM's GC log
 * ({@link GcLog}; nothing is forced). Every {@code histogramMs}: live objects per {@code dev.sluice.} class
 * ({@code jcmd <pid> GC.class_histogram}, which forces a full collection: its figure in the GC log is the live heap).
 * One CSV per JVM ({@code soak-<label>-<pid>.csv}) and one of object counts ({@code soak-<label>-<pid>-objects.csv}).
 */
final class SoakSampler {

    /** Classes of the example job (its receivers), not of Sluice: left out of Sluice's own objects. */
    static final String JOB_PACKAGE = "dev.sluice.examples.";

    /** One sample of one JVM. Heap figures in KB, -1 when no such collection happened in the interval. */
    record Row(long epochMs, int threads, List<String> sluiceThreads, long minAfterGcKb, long afterFullGcKb,
               long committedKb, Map<String, Long> sluiceObjects) {
    }

    /** One JVM and its samples. */
    static final class Jvm {
        final String label;
        final long pid;
        final long firstSeenMs;
        final List<Row> rows = new ArrayList<>();
        final Path csv;
        final Path objectsCsv;
        long gcSeenUpToMs;

        Jvm(String label, long pid, long firstSeenMs, Path dir) {
            this.label = label;
            this.pid = pid;
            this.firstSeenMs = firstSeenMs;
            this.csv = dir.resolve("soak-" + label + "-" + pid + ".csv");
            this.objectsCsv = dir.resolve("soak-" + label + "-" + pid + "-objects.csv");
        }
    }

    private final Path outDir;
    private final Path gcDir;
    private final long sampleMs;
    private final long histogramMs;
    private final Map<Long, Jvm> jvms = new LinkedHashMap<>();

    SoakSampler(Path outDir, Path gcDir, long sampleMs, long histogramMs) {
        this.outDir = outDir;
        this.gcDir = gcDir;
        this.sampleMs = sampleMs;
        this.histogramMs = histogramMs;
    }

    Map<Long, Jvm> jvms() {
        return jvms;
    }

    /** Samples until the driver exits or {@code untilMs}, whichever comes first. */
    void run(DriverProcess driver, long untilMs) {
        long start = System.currentTimeMillis();
        long nextHistogram = start + histogramMs;
        long next = start + sampleMs;
        while (driver.isAlive() && System.currentTimeMillis() < untilMs) {
            sleepUntil(next);
            if (!driver.isAlive()) {
                break;
            }
            // A slow round (jcmd on a starved JVM) is not caught up with a burst of samples.
            next = Math.max(next + sampleMs, System.currentTimeMillis() + sampleMs / 2);
            boolean histogram = System.currentTimeMillis() >= nextHistogram;
            if (histogram) {
                nextHistogram += histogramMs;
            }
            discover(driver);
            for (Jvm j : jvms.values()) {
                if (ProcessHandle.of(j.pid).map(ProcessHandle::isAlive).orElse(false)) {
                    sample(j, histogram);
                }
            }
        }
    }

    private void discover(DriverProcess driver) {
        long now = System.currentTimeMillis();
        jvms.computeIfAbsent(driver.pid(), pid -> new Jvm("driver", pid, now, outDir));
        try (Stream<ProcessHandle> d = ProcessHandle.of(driver.pid()).map(ProcessHandle::descendants)
                .orElse(Stream.empty())) {
            for (ProcessHandle h : d.collect(Collectors.toList())) {
                String id = ExecutorJvms.executorId(ExecutorJvms.commandLine(h.pid()));
                if (!id.equals("?")) {
                    jvms.computeIfAbsent(h.pid(), pid -> new Jvm("executor-" + id, pid, now, outDir));
                }
            }
        }
    }

    private void sample(Jvm j, boolean histogram) {
        Map<String, Long> objects = null;
        if (histogram) {
            objects = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : ExecutorJvms.liveInstances(j.pid, "dev.sluice.").entrySet()) {
                if (!e.getKey().startsWith(JOB_PACKAGE)) {
                    objects.put(e.getKey(), e.getValue());
                }
            }
        }
        long now = System.currentTimeMillis();
        long minAfter = -1;
        long afterFull = -1;
        long committed = -1;
        for (GcLog.Gc gc : GcLog.of(GcLog.file(gcDir, j.pid))) {
            if (gc.epochMs() <= j.gcSeenUpToMs) {
                continue;
            }
            minAfter = minAfter < 0 ? gc.afterKb() : Math.min(minAfter, gc.afterKb());
            if (gc.full()) {
                afterFull = gc.afterKb();
            }
            committed = gc.committedKb();
            j.gcSeenUpToMs = gc.epochMs();
        }
        Row r = new Row(now, threadCount(j.pid), sluiceThreads(j.pid), minAfter, afterFull, committed, objects);
        j.rows.add(r);
        write(j, r);
    }

    private static void write(Jvm j, Row r) {
        long elapsed = (r.epochMs() - j.firstSeenMs) / 1000;
        append(j.csv, "epochMs,elapsedS,threads,sluiceThreads,sluiceThreadNames,minHeapAfterGcKb,heapAfterFullGcKb,"
                        + "heapCommittedKb,sluiceObjects",
                r.epochMs() + "," + elapsed + "," + r.threads() + "," + r.sluiceThreads().size() + ","
                        + String.join(";", r.sluiceThreads()) + "," + r.minAfterGcKb() + "," + r.afterFullGcKb() + ","
                        + r.committedKb() + ","
                        + (r.sluiceObjects() == null ? "" : r.sluiceObjects().values().stream().mapToLong(Long::longValue)
                        .sum()));
        if (r.sluiceObjects() != null) {
            for (Map.Entry<String, Long> e : r.sluiceObjects().entrySet()) {
                append(j.objectsCsv, "epochMs,elapsedS,class,instances",
                        r.epochMs() + "," + elapsed + "," + e.getKey() + "," + e.getValue());
            }
        }
    }

    private static void append(Path f, String header, String line) {
        try {
            if (!Files.exists(f)) {
                Files.writeString(f, header + System.lineSeparator(), StandardCharsets.UTF_8);
            }
            Files.writeString(f, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live threads of a process ({@code Threads:} in /proc/<pid>/status), -1 when it is gone. */
    static int threadCount(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Names of the process's threads that start with {@code sluice}, sorted. */
    static List<String> sluiceThreads(long pid) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path t : tasks.collect(Collectors.toList())) {
                try {
                    String name = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
                    if (name.startsWith("sluice")) {
                        names.add(name);
                    }
                } catch (IOException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return names;
        }
        names.sort(null);
        return names;
    }

    private static void sleepUntil(long epochMs) {
        long left = epochMs - System.currentTimeMillis();
        if (left > 0) {
            StandaloneCluster.sleep(left);
        }
    }
}
