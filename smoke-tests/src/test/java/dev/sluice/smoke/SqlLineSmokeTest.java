package dev.sluice.smoke;

import static dev.sluice.smoke.FileStructuredRun.BACKLOG_FILES;
import static dev.sluice.smoke.FileStructuredRun.ROWS_PER_FILE;
import static dev.sluice.smoke.FileStructuredRun.TRIGGER_MS;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.testbed.report.BatchCapacity;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.FileStructuredRun.Batch;
import dev.sluice.smoke.KafkaStructuredRun.Progress;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Structured Streaming on the Spark line named by {@code -Dsluice.spark.line}, as {@link SparkLineSmokeTest} runs the
 * receiver tests there (the {@code spark-matrix} profile runs both on every line the default build does not run).
 * One short run of the file-source query of {@link FileStructuredRun} (JSON files, 2 s trigger, checkpoint, parquet
 * sink, no rate option, the agent unconfigured) behind a backlog of 3 000 files with files still arriving, with Spark
 * SQL alone beside the application (a file source needs no connector, and Maven Central here lacks some lines' Kafka
 * connector or its token provider). It shows on that line that the agent governs the query on every batch, from the
 * query's own logs and the ids written, independently of Sluice's output:
 * <ul>
 * <li>batch 0 took one file (the safe start; stock Spark takes the whole backlog, {@code FileStructured35SmokeTest} and
 * {@code FileStructured41SmokeTest} show it), and the agent's line says so;</li>
 * <li>every later batch took at most twice the largest batch before it (the file limit's documented growth rule,
 * files counted in the source's own log): a limit applied to the first batch only would let the second take the rest
 * of the backlog;</li>
 * <li>the limit followed the query's feedback beyond the safe start (a batch of at least 8 files);</li>
 * <li>every batch but the first two ended within 2 triggers;</li>
 * <li>the parquet sink holds every id of the files its batches took, once ({@link
 * AbstractFileStructuredSmokeTest#assertEveryRowOnce}).</li>
 * </ul>
 * On 4.x lines the same query also runs under a far too high {@code maxBytesPerTrigger} (1 GB): governed in bytes from
 * one file, every batch but the first two within 2 triggers, every row once.
 */
class SqlLineSmokeTest extends OneSparkLineSmokeTest {

    static final int SECONDS = 60;
    /** Batches not judged for duration: the safe start's and the next (the query's cold start). */
    static final int NOT_JUDGED = 2;
    /** 1, 2, 4, 8 files: four batches of a ramp that follows feedback. */
    static final int RAMP_FILES = 8;

    @Override
    SparkVersion version() {
        return SparkLineSmokeTest.line(getClass());
    }

    @Test
    void sluiceGovernsAFileSourceQueryOnThisLine() throws IOException {
        FileStructuredRun d = FileStructuredRun.runWithSqlOnly(home, "line-sluice", SECONDS, "");
        String label = home.version() + " file-sql line test, sluice";
        AbstractFileStructuredSmokeTest.assertGovernedFromOneFile(label, d);
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= NOT_JUDGED + 10, label + ": too few data batches"
                + AbstractFileStructuredSmokeTest.shape(batches));

        Map<Long, Integer> filesPerLogBatch = new TreeMap<>();
        d.fileToLogBatch.values().forEach(b -> filesPerLogBatch.merge(b, 1, Integer::sum));
        int largestBefore = 0;
        String overgrown = null;
        for (Map.Entry<Long, Integer> e : filesPerLogBatch.entrySet()) {
            if (e.getKey() > 0 && e.getValue() > 2 * largestBefore && overgrown == null) {
                overgrown = "log batch " + e.getKey() + " took " + e.getValue() + " files, the largest before it "
                        + largestBefore;
            }
            largestBefore = Math.max(largestBefore, e.getValue());
        }
        long[] durations = batches.stream().skip(NOT_JUDGED).mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];
        String exactlyOnce = AbstractFileStructuredSmokeTest.assertEveryRowOnce(label, d);
        double capacity = BatchCapacity.fullBatches(d.batches, Batch::rows, Batch::durationMs, TRIGGER_MS);
        long full = d.batches.stream()
                .filter(b -> b.durationMs() >= BatchCapacity.FULL_BATCH_SHARE * TRIGGER_MS).count();
        Figures.record(String.format("%s: batch 0 took 1 file (source log; backlog %d files); %d data batches in %d s, "
                        + "files per batch (source log) %s; largest %d files (%d rows); judged (all but the first %d) "
                        + "median duration %d ms, max %d ms (trigger %d ms); capacity %.0f rows/s (%s %d of %d batches that took >= 80 %% of the trigger); %s", label,
                BACKLOG_FILES, batches.size(), SECONDS, filesPerLogBatch.values(), largestBefore,
                largestBefore * (long) ROWS_PER_FILE, NOT_JUDGED, median, max, TRIGGER_MS, capacity,
                full >= BatchCapacity.MIN_FULL_BATCHES ? "from the" : "fitted line, only", full, d.batches.size(),
                exactlyOnce));
        assertTrue(overgrown == null, label + ": the file limit was not in force on every batch: " + overgrown
                + "; files per log batch " + filesPerLogBatch.values());
        assertTrue(largestBefore >= RAMP_FILES, label + ": no batch beyond " + largestBefore + " files: the limit "
                + "never followed the query's feedback" + AbstractFileStructuredSmokeTest.shape(batches));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers"
                + AbstractFileStructuredSmokeTest.shape(batches));
    }

    @Test
    void sluiceGovernsAFarTooHighMaxBytesPerTriggerOnThisLine() throws IOException {
        assumeTrue(home.version().atLeast(4, 0), () -> "SKIPPED, not passed: " + home.version()
                + "'s file source has no maxBytesPerTrigger");
        FileStructuredRun d = FileStructuredRun.runWithSqlOnlyAndMaxBytes(home, "line-sluice-maxbytes", SECONDS,
                FileStructured41SmokeTest.FAR_TOO_HIGH_BYTES);
        String label = home.version() + " file-sql line test, sluice, maxBytesPerTrigger="
                + FileStructured41SmokeTest.FAR_TOO_HIGH_BYTES;
        AbstractFileStructuredSmokeTest.assertGovernedFromOneFile(label, d, FileStructured41SmokeTest.FIRST_BYTES_LINE);
        String out = d.run.driverOutput();
        assertTrue(out.contains("bytes per trigger"), label + ": no bytes limit was ever set after the first:\n"
                + d.run.driverStderrTail(80));
        assertTrue(!out.contains("keep maxBytesPerTrigger as set") && !out.contains("left alone: its limit"),
                label + ": the bytes limit was left alone:\n" + d.run.driverStderrTail(80));
        List<Progress> batches = d.progress;
        assertTrue(batches.size() >= NOT_JUDGED + 10, label + ": too few data batches"
                + AbstractFileStructuredSmokeTest.shape(batches));
        Map<Long, Integer> filesPerLogBatch = new TreeMap<>();
        d.fileToLogBatch.values().forEach(b -> filesPerLogBatch.merge(b, 1, Integer::sum));
        long[] durations = batches.stream().skip(NOT_JUDGED).mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];
        String exactlyOnce = AbstractFileStructuredSmokeTest.assertEveryRowOnce(label, d);
        Figures.record(String.format("%s: batch 0 took 1 file (source log; backlog %d files); %d data batches in %d s, "
                        + "files per batch (source log) %s; judged (all but the first %d) median duration %d ms, max "
                        + "%d ms (trigger %d ms); %s", label, BACKLOG_FILES, batches.size(), SECONDS,
                filesPerLogBatch.values(), NOT_JUDGED, median, max, TRIGGER_MS, exactlyOnce));
        assertTrue(filesPerLogBatch.values().stream().anyMatch(f -> f >= RAMP_FILES), label + ": no batch of "
                + RAMP_FILES + " files or more: the bytes limit never followed the query's feedback; "
                + filesPerLogBatch.values());
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers"
                + AbstractFileStructuredSmokeTest.shape(batches));
    }
}
