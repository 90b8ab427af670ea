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
    void sluiceBoundsTheFirstBatchSettlesNearTheTriggerAndProcessesEveryRecordOnce() {
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
        Figures.record(String.format("%s: batch 0 planned %d rows (offset log); %d data batches, from batch %d median "
                        + "duration %d ms, max %d ms (trigger %d ms); %s", label, d.firstPlanned, batches.size(),
                RAMP_BATCHES, median, max, TRIGGER_MS, exactlyOnce));
        assertTrue(median >= TRIGGER_MS / 2 && median <= 1.25 * TRIGGER_MS, label + ": median duration " + median
                + " ms is not near the " + TRIGGER_MS + " ms trigger" + shape(batches));
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
