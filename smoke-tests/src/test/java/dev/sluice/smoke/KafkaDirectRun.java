package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.kafka.ExactlyOnce;
import dev.sluice.testbed.kafka.KafkaRig;
import dev.sluice.testbed.kafka.ProcessedRange;
import dev.sluice.testkit.kafka.KafkaJars;
import dev.sluice.testkit.kafka.Ledger;
import dev.sluice.testkit.kafka.TopicFeed;

/**
 * One run of the examples' KafkaDirectJob on local-cluster[2,1,1024] against a real broker: a topic with
 * {@link #PARTITIONS} partitions holding a backlog at start, producers offering a rate for the whole run, the connector
 * shipped beside the application jar as users do. Returns what the job wrote (batches, ranges) and the producer's
 * ledger; the broker is stopped and the feed closed whatever happens.
 */
final class KafkaDirectRun {

    static final int PARTITIONS = KafkaRig.PARTITIONS;
    static final long BATCH_MS = 1000;
    /**
     * 2 ms of CPU per record on 2 executor cores: the job can never process more than {@link #CEILING}/s (it does
     * ~500-900/s here, where the broker, the producer and the driver share the 2 cores).
     */
    static final int WORK_MICROS = 2000;
    static final long CEILING = 2 * 1_000_000L / WORK_MICROS;
    /** 75 s of the ceiling: at least 60 s of whatever the job really processes. */
    static final long BACKLOG = 75 * CEILING;
    /** 5x the ceiling (so at least 5x the real capacity). */
    static final long OFFERED = 5 * CEILING;

    /** A completed or submitted batch as the job's listener saw it. */
    record Batch(long timeMs, long records, long submissionMs, long schedulingMs, long processingMs) {
    }

    /** One row of Spark's CSV sink: the gauge read in second {@code t} (epoch seconds) had {@code value}. */
    record Reading(long t, long value) {
    }

    /** A file of Spark's CSV sink on the driver: {@code <app id>.driver.sluice.stream.<id>.direct.<meter>.csv}. */
    static final java.util.regex.Pattern DIRECT_METER_FILE =
            java.util.regex.Pattern.compile("^[^.]+\\.driver\\.sluice\\.stream\\.(\\d+)\\.direct\\.(\\w+)\\.csv$");

    final RunResult run;
    final List<Batch> submitted = new ArrayList<>();
    final List<Batch> completed = new ArrayList<>();
    final List<ProcessedRange> ranges;
    final Ledger ledger;
    /** Offsets the job committed to Kafka (CanCommitOffsets.commitAsync), per partition, read after the run. */
    final Map<Integer, Long> committed;
    /**
     * Sluice runs: Spark's own CSV sink on the driver (configured as an operator would, period 1 s), Sluice's
     * {@code stream.<id>.direct.<meter>} gauges as "id.meter" → rows in file order.
     */
    final Map<String, List<Reading>> directMeters = new TreeMap<>();

    private KafkaDirectRun(RunResult run, Path out, Path driverSink, Ledger ledger, Map<Integer, Long> committed)
            throws IOException {
        this.run = run;
        this.ledger = ledger;
        this.committed = committed;
        if (Files.isDirectory(driverSink)) {
            try (var files = Files.list(driverSink)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    java.util.regex.Matcher m = DIRECT_METER_FILE.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        directMeters.put(m.group(1) + "." + m.group(2), Csv.read(f).rows.stream()
                                .map(r -> new Reading(Csv.num(r, "t"), Csv.num(r, "value"))).toList());
                    }
                }
            }
        }
        Path batches = out.resolve("batches.csv");
        if (Files.exists(batches)) {
            for (Map<String, String> r : Csv.read(batches).rows) {
                Batch b = new Batch(Csv.num(r, "batchTimeMs"), Csv.num(r, "records"), Csv.num(r, "submissionMs"),
                        Csv.num(r, "schedulingDelayMs"), Csv.num(r, "processingDelayMs"));
                ("submitted".equals(r.get("event")) ? submitted : completed).add(b);
            }
        }
        ranges = ProcessedRange.read(out.resolve("ranges.csv"));
        submitted.sort(java.util.Comparator.comparingLong(Batch::timeMs));
        completed.sort(java.util.Comparator.comparingLong(Batch::timeMs));
    }

    /**
     * @param agentArgs the agent's arguments (no tuning: none), or null for stock Spark
     * @param sparkConf extra Spark configuration (e.g. back-pressure as users set it)
     */
    static KafkaDirectRun run(SparkHome home, String connectorVersion, String name, int seconds, String agentArgs,
                              Map<String, String> sparkConf) {
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve("kafka-" + name);
        try {
            OverloadRunner.deleteRecursively(runDir);
            Path out = Files.createDirectories(runDir.resolve("job-out"));
            Path driverSink = runDir.resolve("driver-metrics");
            List<Path> connector = KafkaJars.sparkConnector(home.version().scalaBinary(), connectorVersion);
            String topic = "smoke-" + name;
            // Beside the run directory, never inside it: the launcher kills every process whose command line names the
            // run directory when the driver ends, and the broker must outlive the driver.
            Path brokerDir = runDir.resolveSibling("broker-of-kafka-" + name);
            try (KafkaRig rig = KafkaRig.start(brokerDir, topic, PARTITIONS)) {
                TopicFeed feed = rig.feed();
                feed.backlog(BACKLOG);
                feed.offer(OFFERED);
                LaunchSpec.Builder b = LaunchSpec.builder().home(home).appJar(SmokeEnv.examplesJar())
                        .extraClassPath(connector)
                        .mainClass("dev.sluice.examples.kafka.KafkaDirectJob")
                        .appArgs("bootstrap=" + rig.bootstrapServers(), "topic=" + topic, "out=" + out,
                                "duration=" + seconds, "workMicros=" + WORK_MICROS, "batchMs=" + BATCH_MS)
                        .localCluster(2, 1, 1024).executorMemory("512m").driverMemory("1g")
                        // Spark's own settings: the application starts once both executors (2 cores expected)
                        // have registered, so the executors' JVM start (18-27 s on this loaded machine) is not
                        // counted as batches queued behind the first one. The same for every mode.
                        .conf("spark.cores.max", "2")
                        .conf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                        .conf("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                        .timeout(Duration.ofSeconds(seconds + 120)).runDir(runDir);
                sparkConf.forEach(b::conf);
                if (agentArgs != null) {
                    b.agent(new AgentAttachment(SmokeEnv.agentJar(), agentArgs).requireJar());
                    String sink = "spark.metrics.conf.driver.sink.csv.";
                    b.conf(sink + "class", "org.apache.spark.metrics.sink.CsvSink")
                            .conf(sink + "directory", Files.createDirectories(driverSink).toString())
                            .conf(sink + "period", "1").conf(sink + "unit", "seconds");
                }
                long t0 = System.currentTimeMillis();
                RunResult result = ClusterJobLauncher.run(b.build());
                rig.checkAlive();
                feed.stop();
                System.out.printf("[smoke] %s/kafka-%s: %s (%.0f s), produced %d%n", home.version(), name, result,
                        (System.currentTimeMillis() - t0) / 1000.0, feed.ledger().total());
                return new KafkaDirectRun(result, out, driverSink, feed.ledger(), rig.committedOffsets());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Batch> dataBatches() {
        return completed.stream().filter(b -> b.records() > 0).toList();
    }

    /** Throttle's exactly-once promise, checked against the producer's ledger (see {@link ExactlyOnce}). */
    ExactlyOnce.Verdict exactlyOnce() {
        return ExactlyOnce.check(ranges, PARTITIONS, ledger::checksum, ledger.total(), committed);
    }
}
