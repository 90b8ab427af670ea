package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.sql.SqlJars;
import dev.sluice.testbed.sql.SqlLaunch;
import dev.sluice.testkit.kafka.KafkaBroker;
import dev.sluice.testkit.kafka.KafkaJars;
import dev.sluice.testkit.kafka.Ledger;
import dev.sluice.testkit.kafka.TopicFeed;

/**
 * One run of the examples' KafkaStructuredJob (a Structured Streaming Kafka query, processing-time trigger, checkpoint,
 * foreachBatch sink idempotent per batch id) on local-cluster[2,1,1024] against a real broker: a 4-partition topic with
 * a backlog at start and steady arrivals. Spark SQL and its Kafka source are shipped on the class path beside the
 * application (the smoke homes hold Spark's streaming jars only). Returns the job's progress events, its per-batch
 * ranges, the offset log's planned end of batch 0, and the producer's ledger.
 */
final class KafkaStructuredRun {

    static final int PARTITIONS = 4;
    static final long TRIGGER_MS = 2000;
    /** 2 ms of CPU per record on 2 executor cores: at most {@link #CEILING} records/s (less on this shared machine). */
    static final int WORK_MICROS = 2000;
    static final long CEILING = 2 * 1_000_000L / WORK_MICROS;
    /** 60 s of the ceiling, so more than 60 s of what the job really processes. */
    static final long BACKLOG = 60 * CEILING;
    /** Steady arrivals: a fifth of the ceiling. */
    static final long OFFERED = CEILING / 5;

    /** A progress event: batch id, input rows, batch duration, the trigger's start (epoch ms, the driver's clock). */
    record Progress(long batchId, long rows, long durationMs, long startMs) {

        /** When the batch ended: its trigger's start plus its duration. */
        long endMs() {
            return startMs + durationMs;
        }
    }

    /** One partition's range in one batch, with what the job counted in it. */
    record Range(long batchId, int partition, long from, long until, long records, long checksum)
            implements LedgerRanges.Span {
    }

    final RunResult run;
    /** Where Spark's own CSV sink wrote the driver's meters (one file per gauge, Sluice's among them). */
    final Path sparkMetrics;
    /** The job's output directory (progress.csv, batches/, and stop.csv when it stopped the query). */
    final Path out;
    /** The query's checkpoint ({@code offsets/}, {@code commits/}). */
    final Path queryCheckpoint;
    final List<Progress> progress = new ArrayList<>();
    final List<Range> ranges = new ArrayList<>();
    /** Σ end offsets the offset log planned for batch 0 (it starts at offset 0 everywhere); -1 if none was logged. */
    final long firstPlanned;
    final Ledger ledger;

    private KafkaStructuredRun(RunResult run, Path out, Path checkpoint, Ledger ledger, Path sparkMetrics)
            throws IOException {
        this.run = run;
        this.sparkMetrics = sparkMetrics;
        this.out = out;
        this.queryCheckpoint = checkpoint.resolve("smoke");
        this.ledger = ledger;
        progress.addAll(readProgress(out));
        Path batches = out.resolve("batches");
        if (Files.isDirectory(batches)) {
            try (var files = Files.list(batches)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (f.toString().endsWith(".csv")) {
                        for (Map<String, String> r : Csv.read(f).rows) {
                            ranges.add(new Range(Csv.num(r, "batchId"), (int) Csv.num(r, "partition"),
                                    Csv.num(r, "fromOffset"), Csv.num(r, "untilOffset"), Csv.num(r, "records"),
                                    Long.parseLong(r.get("checksum"))));
                        }
                    }
                }
            }
        }
        firstPlanned = plannedEnd(queryCheckpoint.resolve("offsets").resolve("0"));
    }

    /** Σ of the end offsets in an offset-log entry (its last line is the Kafka source's JSON). */
    static long plannedEnd(Path entry) throws IOException {
        if (!Files.exists(entry)) {
            return -1;
        }
        return loggedEnds(Files.readString(entry, StandardCharsets.UTF_8)).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** Partition → end offset, from an offset-log entry's text (its last line is the Kafka source's JSON). */
    static Map<Integer, Long> loggedEnds(String entry) {
        String[] lines = entry.strip().split("\n");
        Matcher m = Pattern.compile("\"(\\d+)\":(\\d+)").matcher(lines[lines.length - 1]);
        Map<Integer, Long> ends = new TreeMap<>();
        while (m.find()) {
            ends.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
        }
        return ends;
    }

    /** Partition → end offset the offset log planned for {@code batchId}; empty when it logged no such batch. */
    Map<Integer, Long> loggedEnds(long batchId) throws IOException {
        Path entry = queryCheckpoint.resolve("offsets").resolve(String.valueOf(batchId));
        return Files.exists(entry) ? loggedEnds(Files.readString(entry, StandardCharsets.UTF_8)) : Map.of();
    }

    /** Rows per batch id as the job's own ranges hold them (Σ of until − from over the batch's partitions). */
    Map<Long, Long> rowsByBatch() {
        Map<Long, Long> rows = new TreeMap<>();
        for (Range r : ranges) {
            rows.merge(r.batchId(), r.until() - r.from(), Long::sum);
        }
        return rows;
    }

    /**
     * A Structured Streaming job of the examples jar on local-cluster[2,1,1024] as the SQL smoke tests run it: two
     * cores, two shuffle partitions, the checkpoint under the run, all executors registered before it starts.
     */
    static LaunchSpec.Builder queryLaunch(SparkHome home, List<Path> extraClassPath, String mainClass, Path checkpoint,
                                          int seconds, Path runDir, String agentArgs) {
        return SqlLaunch.builder(home, SmokeEnv.examplesJar(), extraClassPath, mainClass, checkpoint, seconds, runDir,
                agentArgs == null ? null : new AgentAttachment(SmokeEnv.agentJar(), agentArgs));
    }

    /** The batches that ran, in order, from the job's {@code progress.csv} in {@code out} (empty if none). */
    static List<Progress> readProgress(Path out) throws IOException {
        List<Progress> progress = new ArrayList<>();
        Path progressFile = out.resolve("progress.csv");
        if (Files.exists(progressFile)) {
            Set<Long> seen = new HashSet<>();
            for (Map<String, String> r : Csv.read(progressFile).rows) {
                long id = Csv.num(r, "batchId");
                long rows = Csv.num(r, "numInputRows");
                // A no-data trigger reports under the next batch id with no rows; only batches that ran count.
                if (rows > 0 && seen.add(id)) {
                    progress.add(new Progress(id, rows, Csv.num(r, "batchDurationMs"),
                            Instant.parse(r.get("timestamp")).toEpochMilli()));
                }
            }
        }
        return progress;
    }

    /** See {@link SqlJars#sqlAndKafka}. */
    static List<Path> sqlJars(SparkHome home, String tokenProviderVersion) throws IOException {
        return SqlJars.sqlAndKafka(home, tokenProviderVersion);
    }

    /** See {@link SqlJars#sqlOnly}. */
    static List<Path> sqlJars(SparkHome home) throws IOException {
        return SqlJars.sqlOnly(home);
    }

    /**
     * @param tokenProviderVersion spark-token-provider-kafka-0-10's version when Maven Central lacks the line's own
     *                             (4.1.0), else null
     * @param agentArgs            the agent's arguments, or null for stock Spark
     */
    static KafkaStructuredRun run(SparkHome home, String tokenProviderVersion, String name, int seconds,
                                  String agentArgs) {
        return run(home, tokenProviderVersion, name, seconds, agentArgs, TRIGGER_MS);
    }

    /** @param triggerMs the query's processing-time trigger; 0 is Spark's default trigger (batches back to back) */
    static KafkaStructuredRun run(SparkHome home, String tokenProviderVersion, String name, int seconds,
                                  String agentArgs, long triggerMs) {
        return run(home, tokenProviderVersion, name, seconds, agentArgs, triggerMs, Map.of());
    }

    /** @param sparkConf further Spark configuration for the job (e.g. the Kafka v1 path) */
    static KafkaStructuredRun run(SparkHome home, String tokenProviderVersion, String name, int seconds,
                                  String agentArgs, long triggerMs, Map<String, String> sparkConf) {
        return run(home, tokenProviderVersion, name, seconds, agentArgs, triggerMs, sparkConf, List.of());
    }

    /**
     * @param jobArgs further arguments of the job ({@code maxOffsetsPerTrigger=n}, {@code stopAfter=seconds})
     */
    static KafkaStructuredRun run(SparkHome home, String tokenProviderVersion, String name, int seconds,
                                  String agentArgs, long triggerMs, Map<String, String> sparkConf,
                                  List<String> jobArgs) {
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve("kafka-sql-" + name);
        try {
            OverloadRunner.deleteRecursively(runDir);
            Path out = Files.createDirectories(runDir.resolve("job-out"));
            Path checkpoint = runDir.resolve("checkpoint");
            Path sparkMetrics = Files.createDirectories(runDir.resolve("spark-metrics"));
            List<Path> sql = sqlJars(home, tokenProviderVersion);
            String topic = "smoke-sql-" + name;
            // Beside the run directory: the launcher kills every process naming it when the driver ends.
            Path brokerDir = runDir.resolveSibling("broker-of-kafka-sql-" + name);
            OverloadRunner.deleteRecursively(brokerDir);
            try (KafkaBroker broker = KafkaBroker.start(KafkaJars.DEFAULT_BROKER_VERSION, brokerDir, true)) {
                broker.createTopic(topic, PARTITIONS);
                try (TopicFeed feed = new TopicFeed(broker.bootstrapServers(), topic, PARTITIONS)) {
                    feed.backlog(BACKLOG);
                    feed.offer(OFFERED);
                    List<String> args = new ArrayList<>(List.of("bootstrap=" + broker.bootstrapServers(),
                            "topic=" + topic, "out=" + out, "duration=" + seconds, "workMicros=" + WORK_MICROS,
                            "triggerMs=" + triggerMs));
                    args.addAll(jobArgs);
                    LaunchSpec.Builder b = queryLaunch(home, sql, "dev.sluice.examples.kafka.KafkaStructuredJob",
                            checkpoint, seconds, runDir, agentArgs)
                            .appArgs(args.toArray(new String[0]));
                    // Spark's own CSV sink, every second: what an operator's sink receives of Sluice's meters.
                    String sink = "spark.metrics.conf.driver.sink.csv.";
                    b.conf(sink + "class", "org.apache.spark.metrics.sink.CsvSink")
                            .conf(sink + "directory", sparkMetrics.toString()).conf(sink + "period", "1")
                            .conf(sink + "unit", "seconds");
                    sparkConf.forEach(b::conf);
                    long t0 = System.currentTimeMillis();
                    RunResult result = ClusterJobLauncher.run(b.build());
                    if (!broker.alive()) {
                        throw new IllegalStateException("the Kafka broker died during the run; see " + brokerDir);
                    }
                    feed.stop();
                    System.out.printf("[smoke] %s/kafka-sql-%s: %s (%.0f s), produced %d%n", home.version(), name,
                            result, (System.currentTimeMillis() - t0) / 1000.0, feed.ledger().total());
                    return new KafkaStructuredRun(result, out, checkpoint, feed.ledger(), sparkMetrics);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The values Spark's CSV sink wrote for the driver gauge whose name ends with {@code name} (e.g.
     * {@code sluice.query.smoke.kafka0.limit}; the file is {@code <app id>.driver.<name>.csv}, columns t,value);
     * empty when there is no such file.
     */
    List<Double> meter(String name) throws IOException {
        try (var files = Files.list(sparkMetrics)) {
            Path f = files.filter(p -> p.getFileName().toString().endsWith(".driver." + name + ".csv")).findFirst()
                    .orElse(null);
            List<Double> values = new ArrayList<>();
            if (f != null) {
                for (Map<String, String> r : Csv.read(f).rows) {
                    values.add(Double.parseDouble(r.get("value")));
                }
            }
            return values;
        }
    }

    /** Every batch duration the query's progress events reported, data or not. */
    Set<Long> reportedDurations() {
        Set<Long> d = new HashSet<>();
        for (Map<String, String> r : Csv.read(out.resolve("progress.csv")).rows) {
            d.add(Csv.num(r, "batchDurationMs"));
        }
        return d;
    }

    /** Ranges per partition, ordered by start offset. */
    Map<Integer, List<Range>> rangesByPartition() {
        return LedgerRanges.byPartition(ranges);
    }
}
