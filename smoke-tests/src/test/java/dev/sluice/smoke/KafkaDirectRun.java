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
import java.util.concurrent.TimeUnit;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testkit.kafka.KafkaBroker;
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

    static final int PARTITIONS = 4;
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

    /** One partition's range in one batch, with what the job counted in it. */
    record Range(long batchTimeMs, int partition, long from, long until, long records, long checksum)
            implements LedgerRanges.Span {
    }

    final RunResult run;
    final List<Batch> submitted = new ArrayList<>();
    final List<Batch> completed = new ArrayList<>();
    final List<Range> ranges = new ArrayList<>();
    final Ledger ledger;
    /** Offsets the job committed to Kafka (CanCommitOffsets.commitAsync), per partition, read after the run. */
    final Map<Integer, Long> committed;

    private KafkaDirectRun(RunResult run, Path out, Ledger ledger, Map<Integer, Long> committed) throws IOException {
        this.run = run;
        this.ledger = ledger;
        this.committed = committed;
        Path batches = out.resolve("batches.csv");
        if (Files.exists(batches)) {
            for (Map<String, String> r : Csv.read(batches).rows) {
                Batch b = new Batch(Csv.num(r, "batchTimeMs"), Csv.num(r, "records"), Csv.num(r, "submissionMs"),
                        Csv.num(r, "schedulingDelayMs"), Csv.num(r, "processingDelayMs"));
                ("submitted".equals(r.get("event")) ? submitted : completed).add(b);
            }
        }
        Path rangeFile = out.resolve("ranges.csv");
        if (Files.exists(rangeFile)) {
            for (Map<String, String> r : Csv.read(rangeFile).rows) {
                // checksums are full 64-bit values: parsed exactly, not through Csv.num's double
                ranges.add(new Range(Csv.num(r, "batchTimeMs"), (int) Csv.num(r, "partition"),
                        Csv.num(r, "fromOffset"), Csv.num(r, "untilOffset"), Csv.num(r, "records"),
                        Long.parseLong(r.get("checksum"))));
            }
        }
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
            List<Path> connector = KafkaJars.sparkConnector(home.version().scalaBinary(), connectorVersion);
            String topic = "smoke-" + name;
            // Beside the run directory, never inside it: the launcher kills every process whose command line names the
            // run directory when the driver ends, and the broker must outlive the driver.
            Path brokerDir = runDir.resolveSibling("broker-of-kafka-" + name);
            OverloadRunner.deleteRecursively(brokerDir);
            try (KafkaBroker broker = KafkaBroker.start(KafkaJars.DEFAULT_BROKER_VERSION, brokerDir, true)) {
                broker.createTopic(topic, PARTITIONS);
                try (TopicFeed feed = new TopicFeed(broker.bootstrapServers(), topic, PARTITIONS)) {
                    feed.backlog(BACKLOG);
                    feed.offer(OFFERED);
                    LaunchSpec.Builder b = LaunchSpec.builder().home(home).appJar(SmokeEnv.examplesJar())
                            .extraClassPath(connector)
                            .mainClass("dev.sluice.examples.kafka.KafkaDirectJob")
                            .appArgs("bootstrap=" + broker.bootstrapServers(), "topic=" + topic, "out=" + out,
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
                    }
                    long t0 = System.currentTimeMillis();
                    RunResult result = ClusterJobLauncher.run(b.build());
                    if (!broker.alive()) {
                        throw new IllegalStateException("the Kafka broker died during the run; see " + brokerDir);
                    }
                    feed.stop();
                    System.out.printf("[smoke] %s/kafka-%s: %s (%.0f s), produced %d%n", home.version(), name, result,
                            (System.currentTimeMillis() - t0) / 1000.0, feed.ledger().total());
                    return new KafkaDirectRun(result, out, feed.ledger(), committed(broker, "sluice-" + topic));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<Integer, Long> committed(KafkaBroker broker, String group) {
        Map<Integer, Long> out = new TreeMap<>();
        try (var admin = broker.admin()) {
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> out.put(tp.partition(), om.offset()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group, e);
        }
        return out;
    }

    List<Batch> dataBatches() {
        return completed.stream().filter(b -> b.records() > 0).toList();
    }

    /** Ranges per partition, ordered by start offset. */
    Map<Integer, List<Range>> rangesByPartition() {
        return LedgerRanges.byPartition(ranges);
    }
}
