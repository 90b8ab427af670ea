package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.kafka.KafkaRig;
import dev.sluice.testkit.kafka.KafkaJars;
import dev.sluice.testkit.kafka.Ledger;
import dev.sluice.testkit.kafka.TopicFeed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code sql-kafka} source: the examples' KafkaStructuredJob (Kafka source from the earliest offset, a
 * foreachBatch sink idempotent per batch id) on a real broker ({@link KafkaRig}), a topic of 4 partitions the
 * producer ({@code TopicFeed}) fills; records produced during the spike carry the raised cost as their key (the job's
 * {@code keyCost=true}). The job writes every batch's ids ({@code idsOut=true}); the sink check compares the ids of
 * the committed batches with the producer's ledger up to the offsets the last committed batch ended at.
 */
public final class SqlKafkaRunner extends SqlSourceRunner {

    static final String JOB = "dev.sluice.examples.kafka.KafkaStructuredJob";
    /** The job's query name: its checkpoint is {@code <checkpointLocation>/smoke}. */
    static final String QUERY = "smoke";

    public SqlKafkaRunner(SqlJob job) {
        super(job, "sql-kafka");
    }

    @Override
    public String staticLimit(double capacityRowsPerS) {
        return "maxOffsetsPerTrigger=" + StaticLimit.rows(capacityRowsPerS, job.scenario().triggerMs());
    }

    @Override
    public String describe() {
        String token = SqlJars.tokenProviderFor(job.home().version());
        return "Source sql-kafka: the examples' KafkaStructuredJob (spark-sql-kafka-0-10 "
                + job.home().version().toString().split("/")[0]
                + (token == null ? "" : " with spark-token-provider-kafka-0-10 " + token)
                + ", foreachBatch sink) on a real Kafka " + KafkaJars.DEFAULT_BROKER_VERSION
                + " broker (KRaft, its own JVM), topic of " + KafkaRig.PARTITIONS + " partitions";
    }

    @Override
    protected SqlRunData runIn(SqlMode mode, String limit, Path runDir) throws IOException, InterruptedException {
        SqlScenario s = job.scenario();
        String topic = "sql-" + s.name() + "-" + mode.id;
        // Outside the run directory: the launcher ends every process naming it when the driver ends.
        Path brokerDir = runDir.getParent().getParent().resolve("kafka-brokers").resolve(topic);
        try (KafkaRig rig = KafkaRig.start(brokerDir, topic, KafkaRig.PARTITIONS)) {
            Path out = Files.createDirectories(runDir.resolve("job-out"));
            Path checkpoint = runDir.resolve("checkpoint");
            Path queryCheckpoint = checkpoint.resolve(QUERY);
            TopicFeed feed = rig.feed();
            feed.key(null);
            feed.backlog(s.backlogRows());
            List<String> args = new ArrayList<>(List.of("bootstrap=" + rig.bootstrapServers(), "topic=" + topic,
                    "out=" + out, "duration=" + s.querySeconds(), "workMicros=" + s.workMicros(),
                    "triggerMs=" + s.triggerMs(), "keyCost=true", "idsOut=true"));
            if (limit != null) {
                args.add(limit);
            }
            List<Path> jars = SqlJars.sqlAndKafka(job.home(), SqlJars.tokenProviderFor(job.home().version()));
            LaunchSpec spec = SqlLaunch.builder(job.home(), job.examplesJar(), jars, JOB, checkpoint,
                    job.launchSeconds(), runDir, job.agentFor(mode)).appArgs(args).build();
            AtomicLong queryStart = new AtomicLong(-1);
            long[] spikeIds = {0, 0};
            RunResult result = launch(spec, queryCheckpoint, queryStart, start -> produce(feed, start, spikeIds));
            rig.checkAlive();
            feed.stop();
            Ledger ledger = feed.ledger();
            return data(mode, limit, result, ProgressLog.read(out.resolve("progress.csv")), queryStart.get(),
                    ledger::acknowledgedBy, ledger.total(), new SqlRunData.SpikeRows(spikeIds[0], spikeIds[1]),
                    audit(queryCheckpoint, out, ledger));
        }
    }

    /**
     * From the query's start: the steady rate; during the spike, records keyed with the raised cost.
     *
     * @param spikeIds set to the ids sent when the spike began and ended (the producer numbers records in send
     *                 order, so ids are positions in arrival order; a record sent at the switch may carry either key)
     */
    private void produce(TopicFeed feed, long start, long[] spikeIds) {
        SqlScenario s = job.scenario();
        feed.offer(s.arrivalsPerS());
        if (SqlJob.sleepUntil(s.spikeStartMs(start))) {
            spikeIds[0] = feed.sent();
            feed.key((long) s.workMicros() * s.spikeFactor());
            SqlJob.sleepUntil(s.spikeEndMs(start));
            feed.key(null);
            spikeIds[1] = feed.sent();
        }
    }

    /**
     * The ids of every batch up to the last committed one (the job's {@code batches/<id>.ids}) against the ledger's
     * ids at the offsets below that batch's logged end offsets.
     */
    private static SinkAudit audit(Path queryCheckpoint, Path out, Ledger ledger) throws IOException {
        long lastCommitted = CheckpointLogs.lastBatch(queryCheckpoint.resolve("commits"));
        List<Long> expected = new ArrayList<>();
        if (lastCommitted >= 0) {
            for (Map.Entry<Integer, Long> end : CheckpointLogs.kafkaEnds(
                    CheckpointLogs.offsetEntry(queryCheckpoint, lastCommitted)).entrySet()) {
                for (long o = 0; o < Math.min(end.getValue(), ledger.endOffset(end.getKey())); o++) {
                    expected.add(ledger.idAt(end.getKey(), o));
                }
                for (long o = ledger.endOffset(end.getKey()); o < end.getValue(); o++) {
                    expected.add(-1 - (o * KafkaRig.PARTITIONS + end.getKey())); // an offset the ledger never acknowledged: a hole the sink cannot fill
                }
            }
        }
        List<Long> held = new ArrayList<>();
        for (long b = 0; b <= lastCommitted; b++) {
            Path ids = out.resolve("batches").resolve(b + ".ids");
            if (Files.exists(ids)) {
                for (String line : Files.readAllLines(ids, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        held.add(Long.parseLong(line.trim()));
                    }
                }
            }
        }
        return SinkAudit.of(expected.stream().mapToLong(Long::longValue).toArray(),
                held.stream().mapToLong(Long::longValue).toArray());
    }
}
