package dev.sluice.agent.metrics;

import dev.sluice.agent.JvmRole;
import dev.sluice.rate.BatchSample;
import dev.sluice.receiver.driver.BatchLog;
import dev.sluice.receiver.driver.DriverStream;
import dev.sluice.receiver.driver.DriverStreams;
import dev.sluice.receiver.driver.PlannedAdmission;
import dev.sluice.receiver.executor.ManagedStream;
import dev.sluice.receiver.executor.StreamGates;
import dev.sluice.receiver.guard.MemoryGuard;
import dev.sluice.receiver.guard.MemoryReadings;
import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.sql.driver.QueryRuns;
import dev.sluice.sql.driver.QueryStatus;
import dev.sluice.strategy.builtin.StreamCounters;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Everything observable, off the hot path: one daemon thread wakes every second, adds the gauges of new streams to
 * Sluice's source in Spark's metrics system (the primary path: every sink an operator configures carries them; also
 * JMX domain {@code sluice} unless sluice.metrics.jmx=false), watches each stream's dropped share, appends the CSV
 * lines (sluice.metrics.file: a debugging aid the tests and the test bed read) and, every sluice.metrics.logInterval,
 * logs one summary line per stream. Governed Structured Streaming queries get the same: meters, a summary line per
 * source and lines in the driver's {@code sluice-driver-<pid>-queries.csv} ({@link QueryReport}), while the query
 * runs. A final summary is logged at shutdown.
 */
public final class MetricsReporter {

    public static final String HEADER = "epochMs,role,streamId,strategy,bound,offered,admitted,dropped,throttledNanos,"
            + "guardLevel,guardFactor,heapUsed,heapMax,heapAfterGc,storageFree,adviceErrors,stored,lastBatchAdmitted,lag";
    public static final String BATCH_HEADER = "epochMs,batchTimeMs,streamId,records,submissionMs,processingStartMs,"
            + "processingEndMs,schedulingDelayMs,processingDelayMs,boundAfter";

    private final RuntimeSettings settings;
    private final JvmRole role;
    private final long logIntervalMs;
    private final CsvSink csv;
    private final CsvSink batchCsv;
    private final CsvSink queryCsv;
    private final ConcurrentLinkedQueue<String> pendingBatchLines = new ConcurrentLinkedQueue<String>();
    private final SparkMetricsLink sparkMetrics;
    private final DropWatch drops;
    private final long dropWindowMs;
    private final NoBoundWatch noBound = new NoBoundWatch();
    private volatile boolean hostReady;
    private long lastSummaryMs;
    private long lastDropWindowMs = Long.MIN_VALUE;

    public MetricsReporter(RuntimeSettings settings, JvmRole role) {
        this.settings = settings;
        this.role = role;
        this.logIntervalMs = settings.getDurationMs("sluice.metrics.logInterval", 10_000);
        String dir = settings.get("sluice.metrics.file", null);
        String pid = pid();
        this.csv = dir == null ? null
                : new CsvSink(new File(dir, "sluice-" + role.label + "-" + pid + ".csv"), HEADER);
        this.batchCsv = dir == null || role != JvmRole.DRIVER ? null
                : new CsvSink(new File(dir, "sluice-driver-" + pid + "-batches.csv"), BATCH_HEADER);
        this.queryCsv = dir == null || role != JvmRole.DRIVER ? null
                : new CsvSink(new File(dir, "sluice-driver-" + pid + "-queries.csv"), QueryReport.HEADER);
        this.sparkMetrics = new SparkMetricsLink(settings.getBoolean("sluice.metrics.jmx", true));
        this.drops = new DropWatch(settings.getDouble("sluice.metrics.dropWarnShare", 0.5));
        // Drop shares are judged over the summary's interval, so the summary line and the WARN agree.
        this.dropWindowMs = logIntervalMs > 0 ? logIntervalMs : 10_000;
    }

    /** Per-batch lines for the driver's batches file; queued by the listener thread, written by the metrics thread. */
    public BatchLog batchLog() {
        if (batchCsv == null) {
            return null;
        }
        return new BatchLog() {
            @Override
            public void completed(BatchSample b, Iterable<DriverStream> streams) {
                long now = System.currentTimeMillis();
                for (DriverStream s : streams) {
                    pendingBatchLines.add(now + "," + b.batchTimeMs + "," + s.streamId() + "," + b.recordsOf(s.streamId())
                            + "," + b.submissionTimeMs + "," + b.processingStartMs + "," + b.processingEndMs + ","
                            + b.schedulingDelayMs() + "," + b.processingDelayMs() + "," + s.bound());
                }
            }
        };
    }

    public void start() {
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                loop();
            }
        }, "sluice-metrics");
        t.setDaemon(true);
        t.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    finalReport();
                }
            }, "sluice-final-summary"));
        } catch (IllegalStateException shuttingDown) {
            // nothing to report then
        }
    }

    /** The first Spark hook fired: the host's logging and JMX are safe to use from now on. */
    public void hostReady() {
        hostReady = true;
    }

    private void loop() {
        lastSummaryMs = System.currentTimeMillis();
        while (true) {
            try {
                Thread.sleep(1000);
                tick(System.currentTimeMillis(), false);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                SluiceLog.warn("metrics tick failed", t);
            }
        }
    }

    synchronized void tick(long now, boolean last) {
        List<ManagedStream> streams = StreamGates.all();
        // Incarnations retired since the last tick (receivers stopped or restarted): one last line with their final
        // counts, then they are gone from the file, the summary and the meters.
        List<ManagedStream> retired = StreamGates.drainRetired();
        List<DriverStream> driverStreams = DriverStreams.all();
        List<QueryStatus> queries = QueryRuns.live();
        if (streams.isEmpty() && retired.isEmpty() && driverStreams.isEmpty() && queries.isEmpty()) {
            if (hostReady) {
                sparkMetrics.sync(streams, driverStreams); // the last context stopped: its meters leave the source
            }
            return; // nothing yet (or a JVM without streaming): no registry, no file
        }
        if (hostReady) {
            sparkMetrics.sync(streams, driverStreams);
        }
        if (!last) {
            watchDropsAndBounds(now, streams);
        }
        MemoryReadings memory = MemoryGuard.lastReadings();
        if (csv != null) {
            List<ManagedStream> lines = new ArrayList<ManagedStream>(retired);
            lines.addAll(streams);
            csv.write(csvLines(now, lines, driverStreams, memory));
        }
        if (batchCsv != null && !pendingBatchLines.isEmpty()) {
            List<String> lines = new ArrayList<String>();
            for (String l; (l = pendingBatchLines.poll()) != null; ) {
                lines.add(l);
            }
            batchCsv.write(lines);
        }
        if (queryCsv != null && !queries.isEmpty()) {
            queryCsv.write(QueryReport.csvLines(now, queries));
        }
        boolean summaryDue = logIntervalMs > 0 && now - lastSummaryMs >= logIntervalMs;
        if (last) {
            // At shutdown the host's logging may already be stopped (log4j2's own shutdown hook, executors get SIGTERM):
            // the final summary goes straight to stderr, which Spark keeps (executor work dir, driver console).
            for (String line : summaryLines(streams, driverStreams, true)) {
                System.err.println(line);
            }
            for (String line : QueryReport.summaryLines(queries, true)) {
                System.err.println(line);
            }
        } else if (summaryDue) {
            lastSummaryMs = now;
            for (String line : summaryLines(streams, driverStreams, false)) {
                SluiceLog.info(line);
            }
            for (String line : QueryReport.summaryLines(queries, false)) {
                SluiceLog.info(line);
            }
        }
    }

    /** Closes the drop window when due (WARN past the share) and looks for streams that never got a bound. */
    private void watchDropsAndBounds(long now, List<ManagedStream> streams) {
        boolean windowDue = lastDropWindowMs == Long.MIN_VALUE || now - lastDropWindowMs >= dropWindowMs;
        for (ManagedStream s : streams) {
            StreamCounters.Snapshot c = s.counters().snapshot();
            if (windowDue) {
                String warn = drops.windowClosed(now, s.streamId(), s.strategyName(), c.offered, c.dropped,
                        SparkMeterNames.boundOrMinusOne(s.effectiveBound()));
                if (warn != null) {
                    SluiceLog.warn(warn);
                }
            }
            String unbound = noBound.observe(now, s.streamId(), c.offered, !Double.isNaN(s.learnedBound()));
            if (unbound != null) {
                SluiceLog.warn(unbound);
            }
        }
        if (windowDue) {
            lastDropWindowMs = now;
        }
    }

    private void finalReport() {
        try {
            tick(System.currentTimeMillis(), true);
            if (csv != null) {
                csv.close();
            }
            if (batchCsv != null) {
                batchCsv.close();
            }
            if (queryCsv != null) {
                queryCsv.close();
            }
        } catch (Throwable ignored) {
            // JVM going down
        }
    }

    List<String> csvLines(long now, List<ManagedStream> streams, List<DriverStream> driverStreams, MemoryReadings m) {
        List<String> lines = new ArrayList<String>();
        String guardLevel = MemoryGuard.level().name();
        String guardFactor = format(MemoryGuard.factor());
        String memory = m.heapUsed + "," + m.heapMax + "," + m.heapAfterGc + "," + m.storageFree();
        long errors = AdviceErrors.total();
        for (DriverStream d : driverStreams) {
            lines.add(now + ",driver," + d.streamId() + "," + settings.strategyOf(d.streamId()) + "," + d.bound() + ","
                    + d.recordsTotal() + ",-1,-1,-1," + guardLevel + "," + guardFactor + "," + memory + "," + errors
                    + ",-1,-1,-1");
            PlannedAdmission p = d.planned();
            if (p.any()) {
                // A direct stream sheds nothing: what is not admitted waits in Kafka (the lag).
                lines.add(now + ",direct," + d.streamId() + ",throttle," + p.bound() + ",-1," + p.total() + ",0,-1,"
                        + guardLevel + "," + guardFactor + "," + memory + "," + errors + ",-1," + p.lastBatch() + ","
                        + p.lag());
            }
        }
        for (ManagedStream s : streams) {
            StreamCounters.Snapshot c = s.counters().snapshot();
            lines.add(now + ",executor," + s.streamId() + "," + s.strategyName() + "," + boundText(s.effectiveBound())
                    + "," + c.offered + "," + c.admitted + "," + c.dropped + "," + c.throttledNanos + ","
                    + guardLevel + "," + guardFactor + "," + memory + "," + errors + "," + c.stored + ",-1,-1");
        }
        return lines;
    }

    List<String> summaryLines(List<ManagedStream> streams, List<DriverStream> driverStreams, boolean last) {
        List<String> lines = new ArrayList<String>();
        String prefix = last ? "Sluice final " : "Sluice ";
        for (DriverStream d : driverStreams) {
            lines.add(prefix + "driver stream " + d.streamId() + ": bound=" + (d.bound() < 0 ? "none" : d.bound() + "/s")
                    + " published=" + d.boundsPublished() + " lastBatchRecords=" + d.lastBatchRecords()
                    + " processingRate=" + format(d.processingRate()) + "/s schedulingDelay=" + d.schedulingDelayMs()
                    + "ms processingDelay=" + d.processingDelayMs() + "ms");
            PlannedAdmission p = d.planned();
            if (p.any()) {
                lines.add(prefix + "Kafka direct stream " + d.streamId() + ": bound=" + (p.bound() == 0
                        ? "floor (batches queue)" : p.bound() + "/s") + " lastBatchAdmitted=" + p.lastBatch()
                        + " admitted=" + p.total() + " lag=" + p.lag());
            }
        }
        for (ManagedStream s : streams) {
            StreamCounters.Snapshot c = s.counters().snapshot();
            double b = s.effectiveBound();
            lines.add(prefix + "stream " + s.streamId() + " [" + s.strategyName() + "]: bound="
                    + (Double.isInfinite(b) ? "none" : Math.round(b) + "/s") + " offered=" + c.offered + " admitted="
                    + c.admitted + " dropped=" + c.dropped + dropShare(s.streamId(), c, last) + " stored=" + c.stored
                    + " throttled=" + c.throttledNanos / 1_000_000 + "ms"
                    + (s.expiredWaits() > 0 ? " overdue=" + s.overdueRecords() + " (" + s.expiredWaits()
                    + " waits reached sluice.throttle.maxWait)" : "") + " guard="
                    + MemoryGuard.level() + (c.strategyErrors > 0 ? " strategyErrors=" + c.strategyErrors + " (now "
                    + s.strategyName() + ")" : "") + (s.hasOwnBlockGenerator() ? " (own BlockGenerator: counted only)" : "")
                    + (AdviceErrors.total() > 0 ? " adviceErrors=" + AdviceErrors.total() : ""));
        }
        return lines;
    }

    /** The share dropped over the last window (or, in the final summary, over the JVM's life), when it dropped any. */
    private String dropShare(int streamId, StreamCounters.Snapshot c, boolean last) {
        if (last) {
            return c.dropped > 0 && c.offered > 0 ? " (" + DropWatch.percent((double) c.dropped / c.offered)
                    + " of offered)" : "";
        }
        double share = drops.lastShare(streamId);
        return Double.isNaN(share) || share == 0 ? "" : " (" + DropWatch.percent(share) + " of offered over the last "
                + dropWindowMs / 1000 + " s)";
    }

    private static String boundText(double bound) {
        return Double.isInfinite(bound) || Double.isNaN(bound) ? "-1" : String.valueOf(Math.round(bound));
    }

    private static String format(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    static String pid() {
        String name = ManagementFactory.getRuntimeMXBean().getName();
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }

    File csvFile() {
        return csv == null ? null : csv.file();
    }

    /** For the runtime's settings in tests. */
    static RuntimeSettings runtimeSettings() {
        return SluiceRuntime.settings();
    }
}
