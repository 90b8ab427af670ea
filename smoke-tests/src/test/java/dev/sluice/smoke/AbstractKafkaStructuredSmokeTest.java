package dev.sluice.smoke;

import static dev.sluice.smoke.KafkaStructuredRun.BACKLOG;
import static dev.sluice.smoke.KafkaStructuredRun.PARTITIONS;
import static dev.sluice.smoke.KafkaStructuredRun.TRIGGER_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.KafkaStructuredRun.Progress;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Structured Streaming on Kafka (issue 12, first slice) on real multi-JVM Spark with a real broker:
 * a query with no rate option, {@code startingOffsets=earliest}, a 2 s processing-time trigger and a checkpoint,
 * behind a 4-partition backlog of 60 s of the job's ceiling with steady arrivals. The agent runs with no
 * configuration at all. The planned range of batch 0 is read from the query's own offset
 * log (written before the batch runs); exactly-once is checked against the producer's ledger.
 */
abstract class AbstractKafkaStructuredSmokeTest extends OneSparkLineSmokeTest {

    /** spark-token-provider-kafka-0-10's version when Maven Central lacks the line's own; null: the connector's. */
    abstract String tokenProviderVersion();

    static final int SLUICE_SECONDS = 100;
    static final int STOCK_SECONDS = 45;
    /** Batches of the ramp from the safe start, not judged for duration. */
    static final int RAMP_BATCHES = 5;
    /** Safe start with no tuning: sluice.rate.min (100/s) x the 2 s trigger; Kafka may round up by one per partition. */
    static final long SAFE_START_ROWS = 200;

    @Test
    void sluiceBoundsTheFirstBatchSettlesNearTheTriggerAndProcessesEveryRecordOnce() throws Exception {
        KafkaStructuredRun d = KafkaStructuredRun.run(home, tokenProviderVersion(), "sluice", SLUICE_SECONDS, "");
        String label = home.version() + " kafka-sql sluice";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        String out = d.run.driverOutput();
        assertTrue(out.contains("first batch bounded at"), "the admission never ran:\n" + d.run.driverStderrTail(80));
        assertTrue(!out.contains("admission failed"), "a Sluice hook failed:\n" + d.run.driverStderrTail(80));
        assertTrue(d.firstPlanned >= 1 && d.firstPlanned <= SAFE_START_ROWS + PARTITIONS, label
                + ": the offset log planned " + d.firstPlanned + " rows for batch 0");
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= RAMP_BATCHES + 10, "only " + batches.size() + " data batches" + shape(batches));
        List<Progress> judged = batches.subList(RAMP_BATCHES, batches.size());
        long[] durations = judged.stream().mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        String meters = assertQueryMeters(label, d, TRIGGER_MS, TRIGGER_MS);
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log); %d data batches, from batch %d median "
                        + "duration %d ms, max %d ms (trigger %d ms); %s; %s", label, d.firstPlanned, batches.size(),
                RAMP_BATCHES, median, max, TRIGGER_MS, exactlyOnce, meters));
        assertTrue(median >= TRIGGER_MS / 2 && median <= 1.25 * TRIGGER_MS, label + ": median duration " + median
                + " ms is not near the " + TRIGGER_MS + " ms trigger" + shape(batches));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers" + shape(batches));
    }

    static final int DEFAULT_TRIGGER_SECONDS = 60;
    /** sluice.sql.defaultTriggerTarget's default. */
    static final long DEFAULT_TARGET_MS = 1000;

    /**
     * The same query with Spark's default trigger (no interval: batches back to back), agent unconfigured: the first
     * batch is bounded at the safe start (100 rows/s x the 1 s default target), batches aim at 1 s, and the query's
     * meters reach Spark's own CSV sink and its summary line the driver log, with values checked against the job's
     * progress events.
     */
    @Test
    void theDefaultTriggerIsBoundedAimsAtItsTargetAndShowsItsMeters() throws Exception {
        KafkaStructuredRun d = KafkaStructuredRun.run(home, tokenProviderVersion(), "default-trigger",
                DEFAULT_TRIGGER_SECONDS, "", 0);
        String label = home.version() + " kafka-sql default trigger, sluice";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        String out = d.run.driverOutput();
        assertTrue(out.contains("default trigger"), "the default trigger was not governed:\n"
                + d.run.driverStderrTail(80));
        assertTrue(!out.contains("admission failed"), "a Sluice hook failed:\n" + d.run.driverStderrTail(80));
        long safeStart = DEFAULT_TARGET_MS / 10; // sluice.rate.min 100 rows/s x 1 s
        assertTrue(d.firstPlanned >= 1 && d.firstPlanned <= safeStart + PARTITIONS, label
                + ": the offset log planned " + d.firstPlanned + " rows for batch 0");
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= RAMP_BATCHES + 10, "only " + batches.size() + " data batches" + shape(batches));
        long[] durations = batches.subList(RAMP_BATCHES, batches.size()).stream().mapToLong(Progress::durationMs)
                .sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];
        String meters = assertQueryMeters(label, d, DEFAULT_TARGET_MS, 0);
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log); %d data batches in %d s, from batch %d "
                        + "median duration %d ms, max %d ms (target %d ms); %s", label, d.firstPlanned, batches.size(),
                DEFAULT_TRIGGER_SECONDS, RAMP_BATCHES, median, max, DEFAULT_TARGET_MS, meters));
        assertTrue(median <= 1.5 * DEFAULT_TARGET_MS, label + ": median duration " + median + " ms is not near the "
                + DEFAULT_TARGET_MS + " ms target" + shape(batches));
        assertTrue(max <= 3 * DEFAULT_TARGET_MS, label + ": a batch took " + max + " ms" + shape(batches));
    }

    /**
     * The query's meters as Spark's CSV sink wrote them, against figures counted apart from Sluice (the job's progress
     * events, the producer's ledger), and its summary line in the driver log.
     */
    static String assertQueryMeters(String label, KafkaStructuredRun d, long targetMs, long triggerMs)
            throws java.io.IOException {
        String q = "sluice.query.smoke.";
        List<Double> limit = d.meter(q + "kafka0.limit");
        List<Double> admitted = d.meter(q + "kafka0.admitted");
        List<Double> lastAdmitted = d.meter(q + "kafka0.lastBatchAdmitted");
        List<Double> backlog = d.meter(q + "kafka0.backlog");
        List<Double> duration = d.meter(q + "lastBatchDurationMs");
        List<Double> target = d.meter(q + "targetMs");
        List<Double> trigger = d.meter(q + "triggerMs");
        assertTrue(limit.size() >= 10 && admitted.size() >= 10 && backlog.size() >= 10 && duration.size() >= 10,
                label + ": Spark's CSV sink lacks the query's meters: " + d.sparkMetrics);
        assertTrue(target.stream().allMatch(v -> v == targetMs), label + ": targetMs " + target);
        assertTrue(trigger.stream().allMatch(v -> v == triggerMs), label + ": triggerMs " + trigger);
        double maxLimit = limit.stream().mapToDouble(v -> v).max().orElse(-1);
        assertTrue(limit.stream().allMatch(v -> v >= 1) && maxLimit > limit.get(0), label
                + ": the limit never grew from the safe start: " + limit);
        long reportedRows = d.progress.stream().mapToLong(Progress::rows).sum();
        double maxAdmitted = admitted.stream().mapToDouble(v -> v).max().orElse(-1);
        assertTrue(maxAdmitted <= reportedRows && maxAdmitted >= 0.5 * reportedRows, label + ": admitted meter "
                + maxAdmitted + " against " + reportedRows + " rows in the progress events");
        double maxLast = lastAdmitted.stream().mapToDouble(v -> v).max().orElse(-1);
        long maxBatch = d.progress.stream().mapToLong(Progress::rows).max().orElse(0);
        assertTrue(maxLast >= 1 && maxLast <= maxBatch, label + ": lastBatchAdmitted up to " + maxLast
                + ", largest batch in progress " + maxBatch);
        double maxBacklog = backlog.stream().mapToDouble(v -> v).max().orElse(-1);
        assertTrue(maxBacklog > 0.5 * BACKLOG && maxBacklog <= d.ledger.total(), label + ": backlog meter up to "
                + maxBacklog + " (backlog at start " + BACKLOG + ", produced " + d.ledger.total() + ")");
        java.util.Set<Long> reported = d.reportedDurations();
        for (double v : duration) {
            assertTrue(v == -1 || reported.contains((long) v), label + ": lastBatchDurationMs " + v
                    + " is no duration the progress events reported");
        }
        String summary = d.run.driverOutput().lines().filter(l -> l.contains("Sluice query 'smoke'")
                && l.contains("kafka0") && l.contains("limit=")).reduce((a, b) -> b).orElse(null);
        assertTrue(summary != null, label + ": no summary line for the query in the driver log");
        return String.format("meters (Spark CSV sink, %d readings): limit %.0f..%.0f rows, backlog up to %.0f, "
                        + "admitted %.0f of %d rows in progress; last summary line: %s", limit.size(),
                limit.get(0), maxLimit, maxBacklog, maxAdmitted, reportedRows,
                summary.substring(summary.indexOf("Sluice query")));
    }

    static final int V1_SECONDS = 60;

    /**
     * The Kafka v1 source (DSv1 {@code KafkaSource}, which Spark uses when the v2 reader is disabled for the Kafka
     * provider), agent unconfigured: bounded at the safe start, governed from feedback, meters as for v2.
     */
    @Test
    void theKafkaV1SourceIsGovernedToo() throws Exception {
        KafkaStructuredRun d = KafkaStructuredRun.run(home, tokenProviderVersion(), "v1", V1_SECONDS, "", TRIGGER_MS,
                java.util.Map.of("spark.sql.streaming.disabledV2MicroBatchReaders",
                        "org.apache.spark.sql.kafka010.KafkaSourceProvider"));
        String label = home.version() + " kafka-sql v1, sluice";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        String out = d.run.driverOutput();
        assertTrue(out.lines().anyMatch(l -> l.contains("KafkaSourceV1") && l.contains("first batch bounded at")),
                "the v1 source was not governed:\n" + d.run.driverStderrTail(80));
        assertTrue(!out.contains("admission failed"), "a Sluice hook failed:\n" + d.run.driverStderrTail(80));
        assertTrue(d.firstPlanned >= 1 && d.firstPlanned <= SAFE_START_ROWS + PARTITIONS, label
                + ": the offset log planned " + d.firstPlanned + " rows for batch 0");
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= RAMP_BATCHES + 5, "only " + batches.size() + " data batches" + shape(batches));
        long max = batches.subList(RAMP_BATCHES, batches.size()).stream().mapToLong(Progress::durationMs).max()
                .orElse(0);
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        String meters = assertQueryMeters(label, d, TRIGGER_MS, TRIGGER_MS);
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log); %d data batches in %d s, from batch %d "
                        + "max duration %d ms (trigger %d ms); %s; %s", label, d.firstPlanned, batches.size(), V1_SECONDS,
                RAMP_BATCHES, max, TRIGGER_MS, exactlyOnce, meters));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers" + shape(batches));
    }

    @Test
    void withoutTheAgentTheFirstBatchTakesTheWholeBacklog() {
        KafkaStructuredRun d = KafkaStructuredRun.run(home, tokenProviderVersion(), "stock", STOCK_SECONDS, null);
        String label = home.version() + " kafka-sql stock";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log; backlog %d); %d data batches completed "
                + "in %d s", label, d.firstPlanned, BACKLOG, d.progress.size(), STOCK_SECONDS));
        assertTrue(d.firstPlanned >= BACKLOG, label + ": batch 0 planned " + d.firstPlanned + " < backlog " + BACKLOG);
    }

    /**
     * Per partition the written ranges start at offset 0 and follow each other with no gap and no overlap, each range's
     * count equals its size, and the checksum of the ids processed equals the producer's for those offsets (the
     * ledger counts the broker's acknowledgements, independently of Spark and Sluice).
     */
    static String assertEveryRecordProcessedOnce(String label, KafkaStructuredRun d) {
        long total = LedgerRanges.assertContiguousAndAsProduced(label, d.ledger, PARTITIONS, d.rangesByPartition());
        long reported = d.progress.stream().mapToLong(Progress::rows).sum();
        assertTrue(total >= reported, label + ": ranges hold " + total + " records, progress reported " + reported);
        return String.format("exactly once: %d records in %d ranges contiguous from offset 0, counts and checksums "
                + "equal to the producer's ledger (%d produced)", total, d.ranges.size(), d.ledger.total());
    }

    static String shape(List<Progress> batches) {
        return batches.stream().limit(60).map(b -> b.rows() + "/" + b.durationMs() + "ms")
                .collect(Collectors.joining(" ", "\n  rows/duration: ", ""));
    }
}
