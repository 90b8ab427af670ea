package dev.sluice.smoke;

import static dev.sluice.smoke.KafkaStructuredRun.BACKLOG;
import static dev.sluice.smoke.KafkaStructuredRun.CEILING;
import static dev.sluice.smoke.KafkaStructuredRun.PARTITIONS;
import static dev.sluice.smoke.KafkaStructuredRun.TRIGGER_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testbed.report.BatchCapacity;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.sluice.smoke.KafkaStructuredRun.Progress;
import dev.sluice.testkit.kafka.Ledger;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Structured Streaming on Kafka (issue 12) on real multi-JVM Spark with a real broker:
 * a query with no rate option, {@code startingOffsets=earliest}, a 2 s processing-time trigger and a checkpoint,
 * behind a 4-partition backlog of 60 s of the job's ceiling with steady arrivals. The agent runs with no
 * configuration at all. The planned range of batch 0 is read from the query's own offset
 * log (written before the batch runs); exactly-once is checked against the producer's ledger; the drain rate against
 * the capacity the job's own full batches show. The same query also runs with a user {@code maxOffsetsPerTrigger} far
 * too high and far too low, and stopped mid-batch and restarted from its checkpoint.
 */
abstract class AbstractKafkaStructuredSmokeTest extends OneSparkLineSmokeTest {

    /** spark-token-provider-kafka-0-10's version when Maven Central lacks the line's own; null: the connector's. */
    abstract String tokenProviderVersion();

    /** Long enough to drain the backlog at start (about 64 000 records) at 0.8 of about 700 rows/s, and more. */
    static final int SLUICE_SECONDS = 140;
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
        // Capacity from the batches that filled the interval (batch 0 and the ramp, whose durations are mostly the
        // query's start-up and fixed cost, are not among them); the drain from the producer's ledger and the job's
        // own progress, both counted apart from Sluice.
        double capacity = BatchCapacity.fullBatches(judged, Progress::rows, Progress::durationMs, TRIGGER_MS);
        long full = judged.stream().filter(b -> b.durationMs() >= BatchCapacity.FULL_BATCH_SHARE * TRIGGER_MS)
                .count();
        Drain drain = Drain.of(batches, d.ledger);
        Figures.record(String.format("%s: %s; capacity %.0f rows/s (%s), drain rate %.2f of it", label, drain,
                capacity, full >= BatchCapacity.MIN_FULL_BATCHES ? full + " batches that filled at least "
                        + Math.round(BatchCapacity.FULL_BATCH_SHARE * 100) + " % of the trigger"
                        : "fitted line, only " + full + " full batches", drain.rate() / capacity));
        assertTrue(median >= TRIGGER_MS / 2 && median <= 1.25 * TRIGGER_MS, label + ": median duration " + median
                + " ms is not near the " + TRIGGER_MS + " ms trigger" + shape(batches));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers" + shape(batches));
        assertTrue(drain.drained(), label + ": the backlog at start was not drained in the run: " + drain
                + String.format(" (%.2f of the capacity %.0f rows/s)", drain.rate() / capacity, capacity)
                + shape(batches));
        assertTrue(drain.rate() >= MIN_DRAIN_SHARE * capacity, label + String.format(": drain rate %.0f rows/s "
                + "below %.1f x the capacity %.0f rows/s: %s", drain.rate(), MIN_DRAIN_SHARE, capacity, drain)
                + shape(batches));
    }

    /** The bar: the backlog is drained at this share of the measured capacity or more. */
    static final double MIN_DRAIN_SHARE = 0.8;

    /**
     * How fast the query drained the backlog it started behind. The backlog is what the producer's ledger had
     * acknowledged when the first batch's trigger started (the broker's acknowledgements, counted apart from Spark and
     * Sluice); the batch that reached its end is the first at which the rows processed since the start (the job's
     * progress) hold all of it. The rate is the rows of the batches from the first to that one over the wall time from
     * the first batch's trigger start to that one's end: the first batch's start-up, the ramp from the safe start and
     * any idle time before a trigger all count against it. When no batch reached the end, the rows and time of all the
     * batches are given.
     *
     * @param drainedAt index of the batch that reached the end of the backlog, -1 if none did
     */
    record Drain(long backlog, int drainedAt, int batches, long rows, long millis) {

        static Drain of(List<Progress> progress, Ledger ledger) {
            Progress first = progress.get(0);
            long backlog = ledger.acknowledgedBy(first.startMs());
            long rows = 0;
            for (int i = 0; i < progress.size(); i++) {
                Progress b = progress.get(i);
                rows += b.rows();
                if (rows >= backlog) {
                    return new Drain(backlog, i, i + 1, rows, b.endMs() - first.startMs());
                }
            }
            Progress last = progress.get(progress.size() - 1);
            return new Drain(backlog, -1, progress.size(), rows, last.endMs() - first.startMs());
        }

        boolean drained() {
            return drainedAt >= 0;
        }

        /** Rows per second of wall time. */
        double rate() {
            return rows * 1000.0 / millis;
        }

        @Override
        public String toString() {
            return String.format("backlog at start %d records (ledger); %s: %d rows in %d batches, %.1f s from the "
                            + "first batch's start, drain rate %.0f rows/s", backlog,
                    drained() ? "drained by batch index " + drainedAt : "not drained by the end of the run", rows,
                    batches, millis / 1000.0, rate());
        }
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
                Map.of("spark.sql.streaming.disabledV2MicroBatchReaders",
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

    static final int TOO_HIGH_SECONDS = 70;
    /**
     * A {@code maxOffsetsPerTrigger} far too high: 25 x the job's nominal ceiling per trigger (2 000 rows), about 35 x
     * what it processes per trigger on this machine (about 1 500 rows), yet below the backlog at start, so that the
     * option alone would bind batch 0 (stock Spark would plan 50 000 rows, 25 triggers of work at the ceiling) and
     * "every batch under it" is not true of the backlog anyway.
     */
    static final long TOO_HIGH = 25 * CEILING * TRIGGER_MS / 1000;

    /**
     * The user's {@code maxOffsetsPerTrigger} set far too high: it stays the ceiling, Sluice starts at its safe start
     * and converges on what the query processes per trigger, far under the option: every batch after the first two
     * within 2 trigger intervals, the median near the trigger. Batch sizes are the job's own ranges; exactly once
     * against the producer's ledger.
     */
    @Test
    void aMaxOffsetsPerTriggerFarTooHighStaysTheCeilingAndSluiceConvergesUnderIt() throws Exception {
        KafkaStructuredRun d = sluiceRun("too-high", TOO_HIGH_SECONDS, "maxOffsetsPerTrigger=" + TOO_HIGH);
        String label = home.version() + " kafka-sql maxOffsetsPerTrigger " + TOO_HIGH + " (far too high), sluice";
        String out = assertRanCleanly(d);
        assertTrue(out.lines().anyMatch(l -> l.contains("first batch bounded at") && l.contains("user cap " + TOO_HIGH)),
                "the admission never ran with the user's option as its cap:\n" + d.run.driverStderrTail(80));
        assertTrue(d.firstPlanned >= 1 && d.firstPlanned <= SAFE_START_ROWS + PARTITIONS, label
                + ": the offset log planned " + d.firstPlanned + " rows for batch 0 (the option is " + TOO_HIGH + ")");
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= RAMP_BATCHES + 10, "only " + batches.size() + " data batches" + shape(batches));
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        long largest = assertEveryBatchWithin(label, d, TOO_HIGH);
        long maxAfterTwo = batches.stream().skip(2).mapToLong(Progress::durationMs).max().orElse(0);
        long[] durations = batches.stream().skip(RAMP_BATCHES).mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        double capacity = BatchCapacity.fullBatches(batches.subList(RAMP_BATCHES, batches.size()), Progress::rows,
                Progress::durationMs, TRIGGER_MS);
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log); %d data batches in %d s; largest "
                        + "batch %d rows (job's ranges), %.3f of the option; capacity %.0f rows/s (%.0f rows per "
                        + "trigger); after the first 2 batches max duration %d ms, from batch %d median %d ms "
                        + "(trigger %d ms); %s", label, d.firstPlanned, batches.size(), TOO_HIGH_SECONDS, largest,
                largest / (double) TOO_HIGH, capacity, capacity * TRIGGER_MS / 1000, maxAfterTwo, RAMP_BATCHES,
                median, TRIGGER_MS, exactlyOnce));
        assertTrue(maxAfterTwo <= 2 * TRIGGER_MS, label + ": a batch after the first two took " + maxAfterTwo
                + " ms, over 2 triggers" + shape(batches));
        assertTrue(median >= TRIGGER_MS / 2 && median <= 1.25 * TRIGGER_MS, label + ": median duration " + median
                + " ms is not near the " + TRIGGER_MS + " ms trigger" + shape(batches));
    }

    static final int TOO_LOW_SECONDS = 40;
    /**
     * A {@code maxOffsetsPerTrigger} far too low: a tenth of what the job processes per trigger on this machine
     * (about 1 500 rows), and under Sluice's own safe start (200 rows), so that even the first batch must obey it.
     */
    static final long TOO_LOW = 150;

    /**
     * The user's {@code maxOffsetsPerTrigger} set far too low: Sluice never admits more (every batch's rows, from the
     * offset ranges the job itself records, at most the option; batch 0 too, from the offset log), and it does not hold
     * the query under the user's value either: the query runs at it, as without Sluice. The batches must be short
     * (median under half the trigger), or the option was not too low on this machine and the run shows nothing.
     */
    @Test
    void aMaxOffsetsPerTriggerFarTooLowIsNeverExceeded() throws Exception {
        KafkaStructuredRun d = sluiceRun("too-low", TOO_LOW_SECONDS, "maxOffsetsPerTrigger=" + TOO_LOW);
        String label = home.version() + " kafka-sql maxOffsetsPerTrigger " + TOO_LOW + " (far too low), sluice";
        String out = assertRanCleanly(d);
        assertTrue(out.lines().anyMatch(l -> l.contains("first batch bounded at " + TOO_LOW + " rows")
                        && l.contains("user cap " + TOO_LOW)),
                "the admission did not start at the user's option:\n" + d.run.driverStderrTail(80));
        assertTrue(d.firstPlanned >= 1 && d.firstPlanned <= TOO_LOW, label + ": the offset log planned "
                + d.firstPlanned + " rows for batch 0");
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= 10, "only " + batches.size() + " data batches" + shape(batches));
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        long largest = assertEveryBatchWithin(label, d, TOO_LOW);
        long[] rows = d.rowsByBatch().values().stream().mapToLong(Long::longValue).sorted().toArray();
        long medianRows = rows[rows.length / 2];
        long[] durations = batches.stream().mapToLong(Progress::durationMs).sorted().toArray();
        long medianMs = durations[durations.length / 2];
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log); %d data batches in %d s, rows per "
                        + "batch (job's ranges) %d..%d, median %d; median duration %d ms (trigger %d ms); %s", label,
                d.firstPlanned, batches.size(), TOO_LOW_SECONDS, rows[0], largest, medianRows, medianMs, TRIGGER_MS,
                exactlyOnce));
        assertTrue(medianMs <= TRIGGER_MS / 2, label + ": median duration " + medianMs + " ms: the option "
                + TOO_LOW + " was not far too low on this machine" + shape(batches));
        assertTrue(medianRows >= 0.9 * TOO_LOW, label + ": median batch " + medianRows + " rows: Sluice held the "
                + "query under the user's " + TOO_LOW + " though it kept up easily" + shape(batches));
    }

    /** Every batch's rows, from the offset ranges the job recorded, at most {@code cap}; returns the largest. */
    static long assertEveryBatchWithin(String label, KafkaStructuredRun d, long cap) {
        Map<Long, Long> rows = d.rowsByBatch();
        assertTrue(!rows.isEmpty(), label + ": the job recorded no ranges");
        rows.forEach((batchId, n) -> assertTrue(n <= cap, label + ": batch " + batchId + " held " + n
                + " rows (job's ranges), over the user's maxOffsetsPerTrigger " + cap));
        return rows.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    static final int RESTART_SECONDS = 90;
    /** The query is stopped mid-batch after this many seconds and restarted from its checkpoint. */
    static final int STOP_AFTER = 40;
    /** Batches of each query run not judged for duration: the first (safe start, or the replay) and the next. */
    static final int NOT_JUDGED = 2;

    /**
     * The query stopped while a batch runs (its range in the offset log, its commit not) and started again from its
     * checkpoint in the same driver: the replayed batch reads exactly the range the offset log holds for it (the job's
     * own ranges, partition by partition), the restarted run's first new batch is bounded at the safe start again, the
     * batches of both runs stay within 2 triggers, and every record is processed once (producer's ledger).
     */
    @Test
    void theQueryStoppedMidBatchReplaysItsLoggedRangeAndKeepsEveryRecordOnce() throws Exception {
        KafkaStructuredRun d = sluiceRun("restart", RESTART_SECONDS, "stopAfter=" + STOP_AFTER);
        String label = home.version() + " kafka-sql restart, sluice";
        if (d.run.exitCode() != 0 && SparkKafkaMetricsBug.hit(home.version(), d.run.driverOutput())) {
            abortOnSparksMetricsBug(label, d);
        }
        String out = assertRanCleanly(d);
        long starts = out.lines().filter(l -> l.contains("first batch bounded at")).count();
        assertEquals(2, starts, label + ": expected one safe start per query run:\n" + d.run.driverStderrTail(80));

        Replay replay = assertReplayedItsLoggedRange(label, d);
        long stopped = replay.batchId();
        int restart = indexOf(d.progress, stopped);
        assertTrue(restart > 0, label + ": no progress for the replayed batch " + stopped + shape(d.progress));
        assertEquals(replay.rows(), d.progress.get(restart).rows(), label + ": the replayed batch's progress reports "
                + "other rows than its logged range");
        long nextPlanned = sum(d.loggedEnds(stopped + 1)) - sum(replay.until());
        assertTrue(nextPlanned >= 1 && nextPlanned <= SAFE_START_ROWS + PARTITIONS, label + ": the restarted run's "
                + "first new batch (" + (stopped + 1) + ") planned " + nextPlanned + " rows, not the safe start");

        List<Progress> first = d.progress.subList(0, restart);
        List<Progress> second = d.progress.subList(restart, d.progress.size());
        assertTrue(first.size() >= NOT_JUDGED + 5 && second.size() >= NOT_JUDGED + 5,
                label + ": too few data batches" + shape(d.progress));
        long max = Stream.concat(first.stream().skip(NOT_JUDGED), second.stream().skip(NOT_JUDGED))
                .mapToLong(Progress::durationMs).max().orElse(0);
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        Figures.record(String.format("%s: %d data batches in %d s (%d before the stop after %d s, %d after); stopped "
                        + "during batch %d, replayed with its logged range of %d rows on %d partitions (job's ranges "
                        + "= offset log), next batch planned %d rows (safe start); all but the first %d of each run: "
                        + "max duration %d ms (trigger %d ms); %s", label, d.progress.size(), RESTART_SECONDS,
                first.size(), STOP_AFTER, second.size(), stopped, replay.rows(), replay.logged().size(), nextPlanned,
                NOT_JUDGED, max, TRIGGER_MS, exactlyOnce));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers"
                + shape(d.progress));
    }

    /**
     * The batch the query was stopped in: its id, its logged range (partition → [from, until)), its rows, and the
     * offset-log entry's end offsets.
     */
    record Replay(long batchId, Map<Integer, List<Long>> logged, long rows, Map<Integer, Long> until) {
    }

    /**
     * The query was stopped mid-batch (its range logged, its commit not), the stopped batch's offset-log entry is
     * unchanged across the restart, and the batch run after the restart read exactly that range, partition by
     * partition, as the job's own ranges record it.
     */
    private static Replay assertReplayedItsLoggedRange(String label, KafkaStructuredRun d) throws Exception {
        Map<String, String> stop = Csv.read(d.out.resolve("stop.csv")).rows.get(0);
        long stopped = Csv.num(stop, "lastOffsetBatch");
        assertEquals(Csv.num(stop, "lastCommitBatch") + 1, stopped, label + ": the query was not stopped mid-batch: "
                + stop);
        assertTrue(stopped >= 1, label + ": stopped in batch " + stopped);
        String entryAtStop = Files.readString(d.out.resolve("stopped-offsets-entry.txt"));
        assertEquals(entryAtStop, Files.readString(d.queryCheckpoint.resolve("offsets")
                .resolve(String.valueOf(stopped))), label + ": batch " + stopped
                + "'s offset-log entry changed across the restart");
        Map<Integer, Long> from = d.loggedEnds(stopped - 1);
        Map<Integer, Long> until = KafkaStructuredRun.loggedEnds(entryAtStop);
        Map<Integer, List<Long>> logged = new TreeMap<>();
        long loggedRows = 0;
        for (Map.Entry<Integer, Long> e : until.entrySet()) {
            long start = from.getOrDefault(e.getKey(), 0L);
            if (e.getValue() > start) {
                logged.put(e.getKey(), List.of(start, e.getValue()));
                loggedRows += e.getValue() - start;
            }
        }
        assertTrue(loggedRows > SAFE_START_ROWS + PARTITIONS, label + ": the stopped batch's logged range holds "
                + loggedRows + " rows, not enough to tell a replay from a new safe start");
        Map<Integer, List<Long>> replayed = new TreeMap<>();
        d.ranges.stream().filter(r -> r.batchId() == stopped)
                .forEach(r -> replayed.put(r.partition(), List.of(r.from(), r.until())));
        assertEquals(logged, replayed, label + ": batch " + stopped + " read other offsets (partition -> [from, "
                + "until)) than its offset-log entry");
        return new Replay(stopped, logged, loggedRows, until);
    }

    /**
     * Spark 4.1's Kafka source fails the restarted query when it reports the replayed batch's progress
     * ({@link SparkKafkaMetricsBug}), with or without Sluice: what ran until then is checked (the replay of the logged
     * range, its commit, every record once), then the test is aborted, reported as skipped, never as passed.
     */
    private void abortOnSparksMetricsBug(String label, KafkaStructuredRun d) throws Exception {
        Replay replay = assertReplayedItsLoggedRange(label, d);
        assertTrue(Files.exists(d.queryCheckpoint.resolve("commits").resolve(String.valueOf(replay.batchId()))),
                label + ": the replayed batch " + replay.batchId() + " was not committed before Spark failed");
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        String reason = SparkKafkaMetricsBug.DESCRIPTION + " after the replayed batch " + replay.batchId()
                + " committed; the restarted run's new batches never ran";
        Figures.record(String.format("%s: SKIPPED, NOT PASSED (%s). Checked before the failure: stopped during batch "
                        + "%d, replayed with its logged range of %d rows on %d partitions (job's ranges = offset log), "
                        + "committed; %s", label, reason, replay.batchId(), replay.rows(), replay.logged().size(),
                exactlyOnce));
        Assumptions.abort(label + ": " + reason);
    }

    /** The job with the agent unconfigured, the 2 s trigger and one more job argument. */
    private KafkaStructuredRun sluiceRun(String name, int seconds, String jobArg) {
        return KafkaStructuredRun.run(home, tokenProviderVersion(), name, seconds, "", TRIGGER_MS, Map.of(),
                List.of(jobArg));
    }

    /** The driver exited with 0 and no Sluice hook failed; returns the driver's log. */
    static String assertRanCleanly(KafkaStructuredRun d) {
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        String out = d.run.driverOutput();
        assertTrue(!out.contains("admission failed"), "a Sluice hook failed:\n" + d.run.driverStderrTail(80));
        return out;
    }

    private static long sum(Map<Integer, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    static int indexOf(List<Progress> progress, long batchId) {
        for (int i = 0; i < progress.size(); i++) {
            if (progress.get(i).batchId() == batchId) {
                return i;
            }
        }
        return -1;
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
