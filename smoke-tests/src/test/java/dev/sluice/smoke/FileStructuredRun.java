package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.smoke.KafkaStructuredRun.Progress;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.sql.CheckpointLogs;

/**
 * One run of the examples' FileStructuredJob (a Structured Streaming file-source query on JSON files, processing-time
 * trigger, checkpoint, parquet sink) on local-cluster[2,1,1024]. This class writes the input itself: a backlog of small
 * files at start, then files arriving at a steady rate. File {@code n} holds the ids {@code n*20 .. n*20+19}, so the
 * ids any set of files holds are known here, independently of Spark and Sluice. After the run it reads the query's own
 * logs: the offset log (each batch's planned end, {@code {"logOffset":k}}), the file source's log (which files each
 * {@code k} took), the commit log and the sink's metadata log; and the job's dump of every id its sink holds.
 */
final class FileStructuredRun {

    static final long TRIGGER_MS = 2000;
    static final int ROWS_PER_FILE = 20;
    /** 2 ms of CPU per row on 2 executor cores: at most {@link #CEILING} rows/s (less on this shared machine). */
    static final int WORK_MICROS = 2000;
    static final long CEILING = 2 * 1_000_000L / WORK_MICROS;
    /** 60 s of the ceiling, in files of 20 rows: 3 000 files. */
    static final int BACKLOG_FILES = (int) (60 * CEILING / ROWS_PER_FILE);
    /** Steady arrivals: a fifth of the ceiling, 10 files a second. */
    static final int FILES_PER_SECOND = (int) (CEILING / 5 / ROWS_PER_FILE);

    private static final Pattern WATERMARK = Pattern.compile("\"batchWatermarkMs\":(\\d+)");

    /** The stateful variant: rows counted per tumbling event-time window (FileStructuredJob's windowSeconds). */
    static final int WINDOW_SECONDS = 5;
    static final int WATERMARK_SECONDS = 10;
    /**
     * Event time of id {@code i}: {@code i DIV 200} seconds, so arriving files advance event time as fast as the wall
     * clock and the backlog spans 300 event seconds (60 windows); the watermark's 10 s are 100 files, far more than
     * the file source can take out of order (it takes files by modification time, in listing order within one
     * millisecond).
     */
    static final int EVENT_ROWS_PER_SECOND = (int) (FILES_PER_SECOND * (long) ROWS_PER_FILE);
    /**
     * Shuffle partitions of the stateful run: each batch loads and commits a state store in each (the harness's 2
     * would make the fixed cost per batch small; Spark's default 200 would make it exceed the trigger on 2 cores).
     */
    static final int STATE_PARTITIONS = 8;

    /** A data batch as the job's progress reported it, with its trigger's start (the progress timestamp). */
    record Batch(long batchId, long rows, long durationMs, long startMs) {
        long endMs() {
            return startMs + durationMs;
        }
    }

    /** A row of the stateful run's sink: a window (start, epoch seconds) and the rows it counted. */
    record Window(long startSeconds, long rows) {
    }

    final RunResult run;
    /** Progress of the batches that ran, in order (both query runs when the job restarted the query). */
    final List<Progress> progress = new ArrayList<>();
    /** The same batches with their start times (index for index). */
    final List<Batch> batches = new ArrayList<>();
    /** The longest progress event without rows (no-data triggers, batches run only to move the watermark); -1: none. */
    final long longestNoDataMs;
    /** The stateful run's sink rows, by window start; empty for the stateless run. */
    final List<Window> sinkWindows = new ArrayList<>();
    /** Input file number → the file source's log batch ({@code logOffset}) that took it. */
    final Map<Long, Long> fileToLogBatch = new TreeMap<>();
    final Path checkpoint;
    final Path out;
    final long filesWritten;
    /** The ids the job read back from its sink, sorted. */
    final List<Long> sinkIds = new ArrayList<>();
    /** The sink's last committed batch (its metadata log), -1 if none. */
    final long lastSinkBatch;

    private FileStructuredRun(RunResult run, Path out, Path checkpoint, Path sink, long filesWritten)
            throws IOException {
        this.run = run;
        this.out = out;
        this.checkpoint = checkpoint;
        this.filesWritten = filesWritten;
        longestNoDataMs = readBatches(out, batches);
        for (Batch b : batches) {
            progress.add(new Progress(b.batchId(), b.rows(), b.durationMs(), b.startMs()));
        }
        fileToLogBatch.putAll(CheckpointLogs.filesTaken(checkpoint));
        Path ids = out.resolve("sink-ids.txt");
        if (Files.exists(ids)) {
            for (String line : Files.readAllLines(ids, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    sinkIds.add(Long.parseLong(line.trim()));
                }
            }
        }
        Path windows = out.resolve("sink-windows.csv");
        if (Files.exists(windows)) {
            for (Map<String, String> r : Csv.read(windows).rows) {
                sinkWindows.add(new Window(Csv.num(r, "windowStart"), Csv.num(r, "rows")));
            }
            sinkWindows.sort(Comparator.comparingLong(Window::startSeconds));
        }
        lastSinkBatch = lastBatch(sink.resolve("_spark_metadata"));
    }

    /**
     * The data batches of the job's {@code progress.csv} (the rows {@link KafkaStructuredRun#readProgress} keeps) into
     * {@code batches}; returns the longest duration among the events without rows, -1 if none.
     */
    private static long readBatches(Path out, List<Batch> batches) {
        Path file = out.resolve("progress.csv");
        long longestNoData = -1;
        if (Files.exists(file)) {
            Set<Long> seen = new HashSet<>();
            for (Map<String, String> r : Csv.read(file).rows) {
                long id = Csv.num(r, "batchId");
                long rows = Csv.num(r, "numInputRows");
                long duration = Csv.num(r, "batchDurationMs");
                if (rows > 0 && seen.add(id)) {
                    batches.add(new Batch(id, rows, duration, Instant.parse(r.get("timestamp")).toEpochMilli()));
                } else if (rows == 0) {
                    longestNoData = Math.max(longestNoData, duration);
                }
            }
        }
        return longestNoData;
    }

    /** The watermark Spark logged for a query batch (its offset-log entry's {@code batchWatermarkMs}); -1 if none. */
    long watermarkMsOf(long batchId) throws IOException {
        Path entry = checkpoint.resolve("offsets").resolve(String.valueOf(batchId));
        if (!Files.exists(entry)) {
            return -1;
        }
        Matcher m = WATERMARK.matcher(Files.readString(entry));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The query batch that took the last of the files waiting at start (the backlog's end), -1 if the run never took
     * them all.
     */
    long batchThatReachedTheBacklogsEnd() throws IOException {
        long lastLogBatch = -1;
        for (long n = 0; n < BACKLOG_FILES; n++) {
            Long logBatch = fileToLogBatch.get(n);
            if (logBatch == null) {
                return -1;
            }
            lastLogBatch = Math.max(lastLogBatch, logBatch);
        }
        for (Batch b : batches) {
            if (logBatchOf(b.batchId()) >= lastLogBatch) {
                return b.batchId();
            }
        }
        return -1;
    }

    /** The largest id in the files of log batches up to {@code logBatch}; -1 if none. */
    long largestIdUpTo(long logBatch) {
        long largest = -1;
        for (Map.Entry<Long, Long> f : fileToLogBatch.entrySet()) {
            if (f.getValue() <= logBatch) {
                largest = Math.max(largest, f.getKey() * ROWS_PER_FILE + ROWS_PER_FILE - 1);
            }
        }
        return largest;
    }

    /** The file source's log batch a query batch planned (its offset-log entry), -1 if it has none. */
    long logBatchOf(long batchId) throws IOException {
        Path entry = checkpoint.resolve("offsets").resolve(String.valueOf(batchId));
        return Files.exists(entry) ? logOffset(Files.readString(entry)) : -1;
    }

    static long logOffset(String offsetLogEntry) {
        return CheckpointLogs.logOffset(offsetLogEntry);
    }

    /** The input files a log batch took. */
    List<Long> filesOf(long logBatch) {
        List<Long> files = new ArrayList<>();
        fileToLogBatch.forEach((file, batch) -> {
            if (batch == logBatch) {
                files.add(file);
            }
        });
        return files;
    }

    /** The ids of every file the source's log assigns to a log batch up to {@code logBatch}, sorted. */
    List<Long> idsOfFilesUpTo(long logBatch) {
        List<Long> ids = new ArrayList<>();
        fileToLogBatch.forEach((file, batch) -> {
            if (batch <= logBatch) {
                for (int i = 0; i < ROWS_PER_FILE; i++) {
                    ids.add(file * ROWS_PER_FILE + i);
                }
            }
        });
        ids.sort(null);
        return ids;
    }

    /** The largest batch id among a metadata log's files (0, 1, ... or N.compact), -1 if none. */
    static long lastBatch(Path log) {
        return CheckpointLogs.lastBatch(log);
    }

    /** File {@code n}: 20 JSON lines, written beside and renamed in (Spark skips names starting with a dot). */
    static void writeFile(Path in, long n) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            text.append("{\"id\":").append(n * ROWS_PER_FILE + i).append("}\n");
        }
        Path tmp = in.resolve(String.format(".part-%06d.json.tmp", n));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, in.resolve(String.format("part-%06d.json", n)), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * @param stopAfter seconds after which the job stops the query mid-batch and restarts it from its checkpoint, or
     *                  0 for one uninterrupted query run
     * @param agentArgs the agent's arguments, or null for stock Spark
     */
    static FileStructuredRun run(SparkHome home, String tokenProviderVersion, String name, int seconds, int stopAfter,
                                 String agentArgs) {
        return run(home, sqlAndKafka(home, tokenProviderVersion), name, seconds, stopAfter, agentArgs, List.of(),
                Map.of());
    }

    /**
     * One uninterrupted query run with Spark SQL alone beside the application (a file source needs no connector):
     * for the lines whose Kafka connector Maven Central does not serve complete here.
     */
    static FileStructuredRun runWithSqlOnly(SparkHome home, String name, int seconds, String agentArgs) {
        try {
            return run(home, KafkaStructuredRun.sqlJars(home), name, seconds, 0, agentArgs, List.of(), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #runWithSqlOnly}, the file source under the user's {@code maxBytesPerTrigger} (Spark 4.0+). */
    static FileStructuredRun runWithSqlOnlyAndMaxBytes(SparkHome home, String name, int seconds,
                                                       long maxBytesPerTrigger) {
        try {
            return run(home, KafkaStructuredRun.sqlJars(home), name, seconds, 0, "",
                    List.of("maxBytesPerTrigger=" + maxBytesPerTrigger), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> sqlAndKafka(SparkHome home, String tokenProviderVersion) {
        try {
            return KafkaStructuredRun.sqlJars(home, tokenProviderVersion);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One uninterrupted query run whose file source has the user's {@code maxBytesPerTrigger} (Spark 4.0+). */
    static FileStructuredRun runWithMaxBytes(SparkHome home, String tokenProviderVersion, String name, int seconds,
                                             long maxBytesPerTrigger, String agentArgs) {
        return run(home, sqlAndKafka(home, tokenProviderVersion), name, seconds, 0, agentArgs,
                List.of("maxBytesPerTrigger=" + maxBytesPerTrigger), Map.of());
    }

    /** The bytes of input file {@code n} as {@link #writeFile} writes it. */
    static long fileBytes(long n) {
        long bytes = 0;
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            bytes += ("{\"id\":" + (n * ROWS_PER_FILE + i) + "}\n").length();
        }
        return bytes;
    }

    /** The stateful variant: a windowed count behind a watermark (see {@link #WINDOW_SECONDS}), one query run. */
    static FileStructuredRun runWindowed(SparkHome home, String tokenProviderVersion, String name, int seconds,
                                         String agentArgs) {
        return run(home, sqlAndKafka(home, tokenProviderVersion), name, seconds, 0, agentArgs,
                List.of("windowSeconds=" + WINDOW_SECONDS, "watermarkSeconds=" + WATERMARK_SECONDS,
                        "eventRowsPerSecond=" + EVENT_ROWS_PER_SECOND),
                Map.of("spark.sql.shuffle.partitions", String.valueOf(STATE_PARTITIONS)));
    }

    /**
     * @param sqlJars   Spark SQL (and a connector) for the application's class path, minus what the home holds
     * @param jobArgs   further arguments of the job
     * @param sparkConf Spark configuration over the harness's
     */
    private static FileStructuredRun run(SparkHome home, List<Path> sqlJars, String name, int seconds,
                                         int stopAfter, String agentArgs, List<String> jobArgs,
                                         Map<String, String> sparkConf) {
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve("file-sql-" + name);
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try {
            OverloadRunner.deleteRecursively(runDir);
            Path out = Files.createDirectories(runDir.resolve("job-out"));
            Path in = Files.createDirectories(runDir.resolve("in"));
            Path sink = runDir.resolve("sink");
            Path checkpoint = runDir.resolve("checkpoint");
            for (long n = 0; n < BACKLOG_FILES; n++) {
                writeFile(in, n);
            }
            AtomicLong next = new AtomicLong(BACKLOG_FILES);
            feeder.scheduleAtFixedRate(() -> {
                try {
                    writeFile(in, next.get());
                    next.incrementAndGet();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 0, 1000 / FILES_PER_SECOND, TimeUnit.MILLISECONDS);
            List<String> args = new ArrayList<>(List.of("in=" + in, "sink=" + sink, "out=" + out,
                    "duration=" + seconds, "workMicros=" + WORK_MICROS, "triggerMs=" + TRIGGER_MS));
            if (stopAfter > 0) {
                args.add("stopAfter=" + stopAfter);
            }
            args.addAll(jobArgs);
            LaunchSpec.Builder b = KafkaStructuredRun.queryLaunch(home, sqlJars,
                    "dev.sluice.examples.files.FileStructuredJob",
                    checkpoint, seconds, runDir, agentArgs)
                    .appArgs(args.toArray(new String[0]));
            sparkConf.forEach(b::conf);
            long t0 = System.currentTimeMillis();
            RunResult result = ClusterJobLauncher.run(b.build());
            feeder.shutdownNow();
            feeder.awaitTermination(10, TimeUnit.SECONDS);
            System.out.printf("[smoke] %s/file-sql-%s: %s (%.0f s), %d files written%n", home.version(), name,
                    result, (System.currentTimeMillis() - t0) / 1000.0, next.get());
            return new FileStructuredRun(result, out, checkpoint.resolve("files"), sink, next.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            feeder.shutdownNow();
        }
    }
}
