package dev.sluice.examples.reactive;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the publishers of one executor JVM were asked for and emitted, as the publisher itself counts it (the ground
 * truth the job compares with what Spark stored). With an output directory, a daemon thread appends one line a
 * second, and one at every cancel, to {@code publisher-<pid>.csv}:
 * {@code epochMs,requested,emitted,subscriptions,cancels,heapUsedMb}.
 */
public final class PublisherCounters {

    private static final ConcurrentMap<String, PublisherCounters> BY_DIR = new ConcurrentHashMap<>();

    final AtomicLong requested = new AtomicLong();
    final AtomicLong emitted = new AtomicLong();
    final AtomicLong subscriptions = new AtomicLong();
    final AtomicLong cancels = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final File csv;

    private PublisherCounters(File csv) {
        this.csv = csv;
    }

    /** Counters that report nowhere (the tiny example). */
    public static PublisherCounters unreported() {
        return new PublisherCounters(null);
    }

    /** The JVM's counters for {@code dir}, reporting every second from the first call on. */
    public static PublisherCounters reportingTo(String dir) {
        return BY_DIR.computeIfAbsent(dir, d -> {
            new File(d).mkdirs();
            PublisherCounters c = new PublisherCounters(new File(d, "publisher-" + pid() + ".csv"));
            c.startReporter();
            return c;
        });
    }

    long nextValue() {
        return sequence.getAndIncrement();
    }

    public long requested() {
        return requested.get();
    }

    public long emitted() {
        return emitted.get();
    }

    void onCancel() {
        writeLine();
    }

    private void startReporter() {
        Thread t = new Thread(() -> {
            while (true) {
                writeLine();
                try {
                    Thread.sleep(1000 - System.currentTimeMillis() % 1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "counting-publisher-report");
        t.setDaemon(true);
        t.start();
    }

    private synchronized void writeLine() {
        if (csv == null) {
            return;
        }
        boolean header = !csv.exists();
        try (PrintWriter w = new PrintWriter(new FileWriter(csv, true))) {
            if (header) {
                w.println("epochMs,requested,emitted,subscriptions,cancels,heapUsedMb");
            }
            Runtime rt = Runtime.getRuntime();
            long heapUsedMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
            w.println(System.currentTimeMillis() + "," + requested.get() + "," + emitted.get() + ","
                    + subscriptions.get() + "," + cancels.get() + "," + heapUsedMb);
        } catch (IOException e) {
            // Reporting is best effort; the job's own checks report a missing file.
        }
    }

    private static String pid() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
