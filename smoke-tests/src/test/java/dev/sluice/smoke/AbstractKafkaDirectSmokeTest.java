package dev.sluice.smoke;

import static dev.sluice.smoke.KafkaDirectRun.BACKLOG;
import static dev.sluice.smoke.KafkaDirectRun.BATCH_MS;
import static dev.sluice.smoke.KafkaDirectRun.CEILING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testbed.report.BatchCapacity;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.KafkaDirectRun.Batch;
import dev.sluice.testbed.kafka.ExactlyOnce;
import dev.sluice.testbed.kafka.ProcessedRange;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Kafka direct streams on real multi-JVM Spark with a real broker (issue 11): a 4-partition topic holding a backlog of
 * 75 s of the job's ceiling (more than 60 s of what it really processes), producers offering 5x the ceiling for the
 * whole run, 1 s batches, the agent attached with no configuration at all. The connector is the nearest version Maven Central serves for the Spark line.
 */
abstract class AbstractKafkaDirectSmokeTest extends OneSparkLineSmokeTest {

    static final int SLUICE_SECONDS = 90;
    static final int STOCK_SECONDS = 40;
    static final int STEADY_WITHIN = 15;

    /** The spark-streaming-kafka-0-10 version run with this Spark line. */
    abstract String connectorVersion();

    /** Whether the Sluice run also sets spark.streaming.backpressure.enabled=true (Sluice must take over). */
    abstract boolean sparkBackpressureInSluiceRun();

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
        // Correctness first (nothing lost, the lag meter true to the ledger), so a slow run still reports both.
        String exactlyOnce = assertEveryRecordProcessedOnce(label, d);
        String lag = assertTheLagMeterReachesSparkAndFollowsTheLedger(label, d);
        Figures.record(label + ": " + lag);
        int steady = steadyFrom(batches);
        assertTrue(steady >= 0 && steady < STEADY_WITHIN, label + ": scheduling delay not under one interval from "
                + "batch " + STEADY_WITHIN + " on (steady from index " + steady + ")" + delays(batches));
        List<Batch> judged = batches.subList(steady, batches.size());
        assertTrue(judged.size() >= 30, "too few steady batches to judge: " + judged.size());
        double capacity = BatchCapacity.fullBatches(judged, Batch::records, Batch::processingMs, BATCH_MS);
        double fitted = BatchCapacity.fittedLine(judged, Batch::records, Batch::processingMs, BATCH_MS);
        double medianRate = medianBatchRate(judged);
        Batch first = d.submitted.stream().filter(b -> b.records() > 0).findFirst().orElseThrow();
        assertTrue(first.records() <= 3 * capacity, label + ": the first batch took " + first.records()
                + " records, more than 3 s of the measured capacity " + Math.round(capacity) + "/s");
        // The safe start ramps up from a small first batch: goodput is judged from the first batch that held a full
        // interval of capacity, the ramp before it must end within the steady limit, and what it cost is recorded.
        int rampEnd = BatchCapacity.firstHolding(batches, Batch::records,
                BatchCapacity.FULL_BATCH_SHARE * capacity * BATCH_MS / 1000.0);
        assertTrue(rampEnd >= 0 && rampEnd < STEADY_WITHIN, label + ": no batch held "
                + BatchCapacity.FULL_BATCH_SHARE + " of an interval at the capacity within " + STEADY_WITHIN
                + " batches" + delays(batches));
        List<Batch> ramp = batches.subList(0, rampEnd);
        List<Batch> running = batches.subList(Math.max(steady, rampEnd), batches.size());
        assertTrue(running.size() >= 30, "too few steady batches after the ramp to judge: " + running.size());
        long rampShort = Math.round(capacity * ramp.size() * BATCH_MS / 1000.0
                - ramp.stream().mapToLong(Batch::records).sum());
        long runningRecords = running.stream().mapToLong(Batch::records).sum();
        double spanS = (running.get(running.size() - 1).timeMs() - running.get(0).timeMs() + BATCH_MS) / 1000.0;
        double goodput = runningRecords / spanS;
        long maxDelay = judged.stream().mapToLong(Batch::schedulingMs).max().orElse(-1);
        Figures.record(String.format("%s: first batch %d records; steady from batch %d; %d batches judged, max "
                        + "scheduling delay %d ms; ramp of %d batches before the first of at least %.0f %% of an "
                        + "interval at the capacity (%d records short of it); goodput over the %d batches from it "
                        + "%.0f/s, capacity %.0f/s (records per processing second of the judged batches that filled at "
                        + "least %.0f %% of the interval), ratio %.2f; cost line fitted over records %.0f/s, ratio "
                        + "%.2f; median batch rate %.0f/s, ratio %.2f; %s", label, first.records(), steady + 1,
                judged.size(), maxDelay, ramp.size(), BatchCapacity.FULL_BATCH_SHARE * 100, rampShort,
                running.size(), goodput, capacity, BatchCapacity.FULL_BATCH_SHARE * 100, goodput / capacity, fitted,
                goodput / fitted, medianRate, goodput / medianRate, exactlyOnce));
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

    /**
     * Spark's PID in the same conditions, for comparison (issue 11): back-pressure on as users turn it on, no agent.
     * With no initialRate Spark plans the first batch up to the latest offsets; the figures are recorded beside
     * Sluice's.
     */
    @Test
    void sparkPidForComparison() {
        KafkaDirectRun d = KafkaDirectRun.run(home, connectorVersion(), "spark-pid", STOCK_SECONDS, null,
                Map.of("spark.streaming.backpressure.enabled", "true"));
        String label = version() + " kafka-direct spark-pid";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        assertTrue(d.submitted.size() >= 10, "only " + d.submitted.size() + " batches submitted");
        Batch first = d.submitted.stream().filter(b -> b.records() > 0).findFirst().orElseThrow();
        int steady = steadyFrom(d.completed);
        long maxDelay = d.completed.stream().mapToLong(Batch::schedulingMs).max().orElse(-1);
        Figures.record(String.format("%s: first batch %d records; %d submitted, %d completed in %d s; steady from "
                        + "batch %s; max scheduling delay %d ms", label, first.records(), d.submitted.size(),
                d.completed.size(), STOCK_SECONDS, steady < 0 ? "never" : String.valueOf(steady + 1), maxDelay));
        assertTrue(first.records() >= BACKLOG, label + ": Spark's PID has no rate before its first batch completes, "
                + "yet the first batch took " + first.records() + " < backlog " + BACKLOG);
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

    /** Median of records ÷ processing time over batches that processed something (reported beside the fit). */
    static double medianBatchRate(List<Batch> batches) {
        double[] rates = batches.stream().filter(b -> b.records() > 0 && b.processingMs() > 0)
                .mapToDouble(b -> b.records() * 1000.0 / b.processingMs()).sorted().toArray();
        return rates.length == 0 ? 0 : rates[rates.length / 2];
    }

    /**
     * Throttle's promise on a direct stream, checked against the producer's ledger (counted by the broker's
     * acknowledgements, independently of Spark and Sluice) by {@link ExactlyOnce}: contiguous ranges from offset 0,
     * counts and checksums equal to what was produced, committed offsets at range ends; and the ranges hold at least
     * what the completed batches reported.
     */
    static String assertEveryRecordProcessedOnce(String label, KafkaDirectRun d) {
        ExactlyOnce.Verdict v = d.exactlyOnce();
        assertTrue(v.ok(), label + ": " + v.summary());
        long batchesTotal = d.completed.stream().mapToLong(Batch::records).sum();
        assertTrue(v.records() >= batchesTotal, label + ": ranges hold " + v.records() + " records, completed "
                + "batches " + batchesTotal);
        return v.summary();
    }

    /**
     * How long after the broker appended a record its acknowledgement may reach the producer's ledger: a plan read the
     * latest offsets no later than its batch's submission, so it saw at most what was acknowledged this much later.
     */
    static final long ACK_SLACK_MS = 3000;

    /**
     * The consumer lag Sluice reports ({@code stream.<id>.direct.lag}), as Spark's own CSV sink on the driver wrote it
     * every second, against counts made without Sluice: the records the producer's ledger had acknowledged around the
     * plan, minus the end offsets of that batch's ranges as the job itself read them from Spark's {@code OffsetRange}s.
     * A value read in second t reflects the latest batch planned before the read: the last one submitted by t, or a
     * later one whose batch time is before t + 1 s; its plan read the latest offsets between the batch time and its
     * submission. Every row must lie within the bracket of its candidate batches, the first row included (the lag at
     * the start: the backlog plus what the producer added while Spark started, minus the first batch).
     */
    static String assertTheLagMeterReachesSparkAndFollowsTheLedger(String label, KafkaDirectRun d) {
        List<KafkaDirectRun.Reading> rows = d.directMeters.getOrDefault("0.lag", List.of()).stream()
                .filter(r -> r.value() >= 0).toList();
        assertTrue(rows.size() >= 20, label + ": Spark's CSV sink on the driver carried " + rows.size()
                + " readings of stream.0.direct.lag; meters found: " + d.directMeters.keySet());
        Map<Long, Long> untilByBatch = new java.util.TreeMap<>();
        Map<Long, Long> partitionsByBatch = new java.util.TreeMap<>();
        for (ProcessedRange r : d.ranges) {
            untilByBatch.merge(r.batchTimeMs(), r.until(), Long::sum);
            partitionsByBatch.merge(r.batchTimeMs(), 1L, Long::sum);
        }
        List<Batch> planned = d.submitted;
        int judged = 0;
        String firstJudged = null;
        for (KafkaDirectRun.Reading row : rows) {
            long readFrom = row.t() * 1000;
            long readTo = readFrom + 1000;
            int b0 = -1;
            for (int i = 0; i < planned.size() && planned.get(i).submissionMs() <= readFrom; i++) {
                b0 = i;
            }
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            boolean complete = true;
            for (int i = Math.max(0, b0); i < planned.size() && (i == b0 || planned.get(i).timeMs() < readTo); i++) {
                Batch c = planned.get(i);
                if (partitionsByBatch.getOrDefault(c.timeMs(), 0L) != KafkaDirectRun.PARTITIONS) {
                    complete = false; // a batch the job never ran: its end offsets are unknown
                    break;
                }
                long until = untilByBatch.get(c.timeMs());
                lo = Math.min(lo, d.ledger.acknowledgedBy(c.timeMs()) - until);
                hi = Math.max(hi, d.ledger.acknowledgedBy(c.submissionMs() + ACK_SLACK_MS) - until);
            }
            if (!complete || lo == Long.MAX_VALUE) {
                assertTrue(judged > 0 || row != rows.get(0), label + ": the first lag reading " + row
                        + " cannot be judged: no completed batch planned by then");
                continue;
            }
            assertTrue(row.value() >= lo && row.value() <= hi, label + ": stream.0.direct.lag read " + row.value()
                    + " in second " + row.t() + ", the ledger and the job's ranges say " + lo + "-" + hi);
            if (firstJudged == null) {
                assertTrue(row == rows.get(0), label + ": the first lag reading was not judged");
                assertTrue(row.value() >= BACKLOG - CEILING, label + ": lag at the start " + row.value()
                        + " below the backlog " + BACKLOG + " less one batch at the ceiling");
                firstJudged = String.format("first %d (ledger: %d-%d; backlog %d)", row.value(), lo, hi, BACKLOG);
            }
            judged++;
        }
        assertTrue(judged >= 20, label + ": only " + judged + " of " + rows.size() + " lag readings could be judged");
        KafkaDirectRun.Reading last = rows.get(rows.size() - 1);
        return String.format("lag meter in Spark's driver CSV sink: %d of %d readings within the ledger's bracket, %s, "
                + "last %d; admitted meter last %s", judged, rows.size(), firstJudged, last.value(),
                d.directMeters.getOrDefault("0.admitted", List.of()).stream().reduce((a, b) -> b)
                        .map(r -> String.valueOf(r.value())).orElse("none"));
    }

    static String delays(List<Batch> batches) {
        return batches.stream().limit(60).map(b -> b.records() + "/" + b.schedulingMs() + "ms")
                .collect(Collectors.joining(" ", "\n  records/scheduling delay: ", ""));
    }
}
