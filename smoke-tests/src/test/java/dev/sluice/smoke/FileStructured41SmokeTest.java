package dev.sluice.smoke;

import static dev.sluice.smoke.FileStructuredRun.TRIGGER_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.smoke.FileStructuredRun.Batch;
import dev.sluice.smoke.KafkaStructuredRun.Progress;
import dev.sluice.testbed.cluster.SparkVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Spark 4.1.0 / Scala 2.13: the file source in {@code org.apache.spark.sql.execution.streaming.runtime}; and, from 4.0
 * only, a user {@code maxBytesPerTrigger}: governed in bytes under it when it is far too high, and never exceeded
 * when it is far too low (below one file, so every batch is the one file the source always takes).
 */
class FileStructured41SmokeTest extends AbstractFileStructuredSmokeTest {

    /** Far too high: 1 GB, the whole backlog (3 000 files of about 250 bytes) many times over. */
    static final long FAR_TOO_HIGH_BYTES = 1L << 30;
    /** Far too low: below the smallest input file (file 0, 190 bytes). */
    static final long FAR_TOO_LOW_BYTES = 100;
    static final int MAX_BYTES_SECONDS = 90;
    static final int TOO_LOW_SECONDS = 40;
    /** The driver log's line for a bytes limit's safe start. */
    static final String FIRST_BYTES_LINE = "first batch bounded at 1 byte, which admits exactly the first file";

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_4_1;
    }

    @Override
    String tokenProviderVersion() {
        return "4.1.1";
    }

    /**
     * The same backlog, arrivals and checks as the governed file-source run (first batch one file, every batch after
     * the first two within 2 triggers, the backlog drained at 0.8 of the measured capacity or more, the sink exactly
     * once), one query run, with the user's {@code maxBytesPerTrigger} at 1 GB: without Sluice the first batch would
     * take the whole backlog.
     */
    @Test
    void sluiceGovernsAFarTooHighMaxBytesPerTriggerFromOneFileAndKeepsEveryRowOnce() throws IOException {
        FileStructuredRun d = runWithMaxBytes("high", MAX_BYTES_SECONDS, FAR_TOO_HIGH_BYTES);
        String label = labelOf(FAR_TOO_HIGH_BYTES);
        int firstFiles = assertGovernedFromOneFile(label, d, FIRST_BYTES_LINE);
        String out = d.run.driverOutput();
        assertTrue(out.contains("bytes per trigger"), label + ": no bytes limit was ever set after the first:\n"
                + d.run.driverStderrTail(80));
        assertTrue(!out.contains("keep maxBytesPerTrigger as set") && !out.contains("left alone: its limit"),
                label + ": the bytes limit was left alone:\n" + d.run.driverStderrTail(80));
        assertTrue(d.progress.size() >= NOT_JUDGED + 10, label + ": too few data batches" + shape(d.progress));
        long[] durations = d.progress.stream().skip(NOT_JUDGED).mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];
        long overOne = d.progress.stream().skip(NOT_JUDGED).filter(p -> p.durationMs() > TRIGGER_MS).count();
        long overTwo = d.progress.stream().skip(NOT_JUDGED).filter(p -> p.durationMs() > 2 * TRIGGER_MS).count();

        String exactlyOnce = assertEveryRowOnce(label, d);
        double capacity = capacity(d);
        BacklogDrain drain = BacklogDrain.of(List.of(d.batches), d.batchThatReachedTheBacklogsEnd());
        double drainShare = drain.rowsPerSecond() / capacity;
        Figures.record(String.format("%s: batch 0 took %d file (source log); files per batch %s; %d data batches in "
                        + "%d s, judged (all but the first %d) median duration %d ms, max %d ms, %d over 1 trigger, %d "
                        + "over 2 (trigger %d ms); %s; backlog drained at %s = %.2f of the capacity, %s", label,
                firstFiles, filesPerBatch(d), d.progress.size(), MAX_BYTES_SECONDS, NOT_JUDGED, median, max, overOne,
                overTwo, TRIGGER_MS, exactlyOnce, drain, drainShare, describeCapacity(d)));
        assertWithinTwoTriggersAndDrained(label, d, max, drain, drainShare);
    }

    /**
     * A {@code maxBytesPerTrigger} below one file: the source takes its first file whatever the limit, so every batch
     * holds exactly one file, as without Sluice; Sluice's limit is never above the user's (documented), and the sink
     * holds every row once.
     */
    @Test
    void aFarTooLowMaxBytesPerTriggerIsNeverExceededEveryBatchIsOneFile() throws IOException {
        assertTrue(FAR_TOO_LOW_BYTES < FileStructuredRun.fileBytes(0), "the cap must be below the smallest file");
        FileStructuredRun d = runWithMaxBytes("low", TOO_LOW_SECONDS, FAR_TOO_LOW_BYTES);
        String label = labelOf(FAR_TOO_LOW_BYTES);
        int firstFiles = assertGovernedFromOneFile(label, d, FIRST_BYTES_LINE);
        String out = d.run.driverOutput();
        assertTrue(out.contains("limit " + FAR_TOO_LOW_BYTES + " bytes per trigger"), label + ": Sluice's limit "
                + "never reached the user's " + FAR_TOO_LOW_BYTES + " bytes:\n" + d.run.driverStderrTail(80));
        assertTrue(onlyTheCap(out), label
                + ": a limit other than the safe start and the user's cap:\n" + d.run.driverStderrTail(80));
        assertTrue(d.batches.size() >= 5, label + ": too few data batches" + shape(d.progress));
        List<Integer> files = filesPerBatch(d);
        String exactlyOnce = assertEveryRowOnce(label, d);
        Figures.record(String.format("%s: batch 0 took %d file; files per batch %s (%d data batches in %d s); %s",
                label, firstFiles, files, d.batches.size(), TOO_LOW_SECONDS, exactlyOnce));
        for (int i = 0; i < files.size(); i++) {
            assertEquals(1, files.get(i), label + ": batch " + d.batches.get(i).batchId() + " took " + files.get(i)
                    + " files: " + files);
        }
    }

    /** The agent unconfigured, one query run, the user's {@code maxBytesPerTrigger} on the file source. */
    private FileStructuredRun runWithMaxBytes(String name, int seconds, long maxBytes) {
        return FileStructuredRun.runWithMaxBytes(home, tokenProviderVersion(), "sluice-maxbytes-" + name, seconds,
                maxBytes, "");
    }

    private String labelOf(long maxBytes) {
        return home.version() + " file-sql sluice maxBytesPerTrigger=" + maxBytes;
    }

    /** Every "limit N bytes per trigger" line of the driver log names the user's cap. */
    private static boolean onlyTheCap(String out) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("limit (\\d+) bytes per trigger").matcher(out);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) != FAR_TOO_LOW_BYTES) {
                return false;
            }
        }
        return true;
    }

    /** Each data batch's files, from the file source's own log. */
    private static List<Integer> filesPerBatch(FileStructuredRun d) throws IOException {
        List<Integer> files = new ArrayList<>();
        for (Batch b : d.batches) {
            files.add(d.filesOf(d.logBatchOf(b.batchId())).size());
        }
        return files;
    }
}
