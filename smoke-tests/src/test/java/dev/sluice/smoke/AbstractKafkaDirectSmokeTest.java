package dev.sluice.smoke;

import static dev.sluice.smoke.KafkaDirectRun.BACKLOG;
import static dev.sluice.smoke.KafkaDirectRun.BATCH_MS;
import static dev.sluice.smoke.KafkaDirectRun.CEILING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.sluice.smoke.KafkaDirectRun.Batch;
import dev.sluice.smoke.KafkaDirectRun.Range;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkHomes;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Kafka direct streams on real multi-JVM Spark with a real broker (issue 11): a 4-partition topic holding a backlog of
 * 75 s of the job's ceiling (more than 60 s of what it really processes), producers offering 5x the ceiling for the
 * whole run, 1 s batches, the agent attached with no configuration at all. The connector is the nearest version Maven Central serves for the Spark line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractKafkaDirectSmokeTest {

    static final int SLUICE_SECONDS = 90;
    static final int STOCK_SECONDS = 40;
    static final int STEADY_WITHIN = 15;

    SparkHome home;

    abstract SparkVersion version();

    /** The spark-streaming-kafka-0-10 version run with this Spark line. */
    abstract String connectorVersion();

    /** Whether the Sluice run also sets spark.streaming.backpressure.enabled=true (Sluice must take over). */
    abstract boolean sparkBackpressureInSluiceRun();

    @BeforeAll
    void sparkHome() {
        SmokeEnv.agentJar();
        SmokeEnv.examplesJar();
        home = SparkHomes.resolve(version());
    }

    @Test
    void sluiceBoundsTheFirstBatchConvergesAndProcessesEveryRecordOnce() {
        boolean bp = sparkBackpressureInSluiceRun();
        KafkaDirectRun d = KafkaDirectRun.run(home, connectorVersion(), "sluice", SLUICE_SECONDS, "",
                bp ? Map.of("spark.streaming.backpressure.enabled", "true") : Map.of());
        String label = version() + " kafka-direct sluice" + (bp ? " (spark back-pressure on)" : "");
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        String out = d.run.driverOutput();
        assertTrue(out.contains("Sluice plans its offset ranges"), "the planning hook never ran:\n"
                + d.run.driverStderrTail(60));
        if (bp) {
            assertTrue(out.contains("takes over from Spark's PID for this stream"), "no take-over line");
        }
        assertTrue(!out.contains("error in hook"), "a Sluice hook failed:\n" + d.run.driverStderrTail(60));

        List<Batch> batches = d.completed;
        assertTrue(batches.size() >= 40, "only " + batches.size() + " batches completed" + delays(batches));
        int steady = steadyFrom(batches);
        assertTrue(steady >= 0 && steady < STEADY_WITHIN, label + ": scheduling delay not under one interval from "
                + "batch " + STEADY_WITHIN + " on (steady from index " + steady + ")" + delays(batches));
        List<Batch> judged = batches.subList(steady, batches.size());
        assertTrue(judged.size() >= 30, "too few steady batches to judge: " + judged.size());
        double capacity = capacity(judged);
        Batch first = d.submitted.stream().filter(b -> b.records() > 0).findFirst().orElseThrow();
        assertTrue(first.records() <= 3 * capacity, label + ": the first batch took " + first.records()
                + " records, more than 3 s of the measured capacity " + Math.round(capacity) + "/s");
        long judgedRecords = judged.stream().mapToLong(Batch::records).sum();
        double spanS = (judged.get(judged.size() - 1).timeMs() - judged.get(0).timeMs() + BATCH_MS) / 1000.0;
        double goodput = judgedRecords / spanS;
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        long maxDelay = judged.stream().mapToLong(Batch::schedulingMs).max().orElse(-1);
        Figures.record(String.format("%s: first batch %d records; steady from batch %d; %d batches judged, max "
                        + "scheduling delay %d ms; goodput %.0f/s, capacity %.0f/s (median records / processing time of "
                        + "the judged batches), ratio %.2f; %s", label, first.records(), steady + 1, judged.size(),
                maxDelay, goodput, capacity, goodput / capacity, exactlyOnce));
        assertTrue(goodput >= 0.9 * capacity, label + String.format(": goodput %.0f/s below 0.9 x capacity %.0f/s",
                goodput, capacity));
    }

    @Test
    void withoutTheAgentTheFirstBatchTakesTheBacklogAndDelayGrows() {
        KafkaDirectRun d = KafkaDirectRun.run(home, connectorVersion(), "stock", STOCK_SECONDS, null, Map.of());
        String label = version() + " kafka-direct stock";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        assertTrue(d.submitted.size() >= 10, "only " + d.submitted.size() + " batches submitted");
        Batch first = d.submitted.stream().filter(b -> b.records() > 0).findFirst().orElseThrow();
        // Stock Spark plans the first batch up to the latest offsets: the whole backlog and more.
        assertTrue(first.records() >= BACKLOG, label + ": first batch " + first.records() + " < backlog " + BACKLOG);
        Batch lastSubmitted = d.submitted.get(d.submitted.size() - 1);
        long lastDone = d.completed.isEmpty() ? Long.MIN_VALUE : d.completed.get(d.completed.size() - 1).timeMs();
        Batch oldestWaiting = d.submitted.stream().filter(b -> b.timeMs() > lastDone).findFirst().orElseThrow();
        long waitedMs = lastSubmitted.submissionMs() - oldestWaiting.timeMs();
        Figures.record(String.format("%s: first batch %d records (%.0f s of the %d/s ceiling); %d submitted, %d "
                        + "completed; the oldest waiting batch had waited %d ms at the last submission", label,
                first.records(), first.records() / (double) CEILING, CEILING, d.submitted.size(), d.completed.size(),
                waitedMs));
        assertTrue(waitedMs >= 10 * BATCH_MS, label + ": no growing delay, the oldest waiting batch waited only "
                + waitedMs + " ms");
    }

    /** Index of the first batch from which every completed batch waited less than one interval; -1 if none. */
    static int steadyFrom(List<Batch> batches) {
        int from = batches.size();
        for (int i = batches.size() - 1; i >= 0 && batches.get(i).schedulingMs() < BATCH_MS
                && batches.get(i).schedulingMs() >= 0; i--) {
            from = i;
        }
        return from == batches.size() ? -1 : from;
    }

    /** Median of records ÷ processing time over batches that processed something. */
    static double capacity(List<Batch> batches) {
        double[] rates = batches.stream().filter(b -> b.records() > 0 && b.processingMs() > 0)
                .mapToDouble(b -> b.records() * 1000.0 / b.processingMs()).sorted().toArray();
        return rates.length == 0 ? 0 : rates[rates.length / 2];
    }

    /**
     * Throttle's promise on a direct stream, checked against the producer's ledger (counted by the broker's
     * acknowledgements, independently of Spark and Sluice): per partition the completed batches' ranges start at 0 and
     * follow each other with no gap and no overlap, each range's record count equals its size, and the checksum of the
     * ids the job processed equals the checksum of the ids the producer put at those offsets.
     */
    static String assertEveryRecordProcessedOnce(String label, KafkaDirectRun d) {
        Map<Integer, List<Range>> by = d.rangesByPartition();
        long total = LedgerRanges.assertContiguousAndAsProduced(label, d.ledger, KafkaDirectRun.PARTITIONS, by);
        // The application's own commits (commitAsync of each batch's ranges) name a range boundary it processed.
        for (Map.Entry<Integer, List<Range>> e : by.entrySet()) {
            Long c = d.committed.get(e.getKey());
            assertTrue(c != null && e.getValue().stream().anyMatch(r -> r.until() == c), label + ": partition "
                    + e.getKey() + " committed offset " + c + " is not the end of a processed range");
        }
        long batchesTotal = d.completed.stream().mapToLong(Batch::records).sum();
        assertTrue(total >= batchesTotal, label + ": ranges hold " + total + " records, completed batches "
                + batchesTotal);
        return String.format("exactly once: %d records in %d ranges contiguous from offset 0, counts and checksums "
                + "equal to the producer's ledger (%d produced); committed offsets %s end processed ranges", total,
                d.ranges.size(), d.ledger.total(), d.committed);
    }

    static String delays(List<Batch> batches) {
        return batches.stream().limit(60).map(b -> b.records() + "/" + b.schedulingMs() + "ms")
                .collect(Collectors.joining(" ", "\n  records/scheduling delay: ", ""));
    }
}
