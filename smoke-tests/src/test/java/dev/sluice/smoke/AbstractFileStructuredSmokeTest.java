package dev.sluice.smoke;

import static dev.sluice.smoke.FileStructuredRun.BACKLOG_FILES;
import static dev.sluice.smoke.FileStructuredRun.EVENT_ROWS_PER_SECOND;
import static dev.sluice.smoke.FileStructuredRun.ROWS_PER_FILE;
import static dev.sluice.smoke.FileStructuredRun.TRIGGER_MS;
import static dev.sluice.smoke.FileStructuredRun.WATERMARK_SECONDS;
import static dev.sluice.smoke.FileStructuredRun.WINDOW_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.testbed.report.BatchCapacity;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.FileStructuredRun.Batch;
import dev.sluice.smoke.FileStructuredRun.Window;
import dev.sluice.smoke.KafkaStructuredRun.Progress;

/**
 * Structured Streaming on a file source (issue 12) on real multi-JVM Spark: a JSON file-source query with no rate
 * option, a 2 s processing-time trigger, a checkpoint and a parquet sink, behind a backlog of 3 000 small files (60 s
 * of the job's ceiling) with files still arriving. The agent runs with no configuration at all. What each batch took
 * is read from the query's own offset and source logs (written before the batch runs); exactly-once is checked id by
 * id: the ids the sink holds (its committed files, read back by the job) against the ids of the files the source's log
 * assigns to the batches the sink committed, which this test wrote and knows. How fast the backlog drained
 * ({@link BacklogDrain}) is held against the capacity the run's own full batches showed ({@link BatchCapacity}). A
 * stateful variant (a windowed count behind a watermark) is checked window by window against the ids written.
 */
abstract class AbstractFileStructuredSmokeTest extends OneSparkLineSmokeTest {

    /** spark-token-provider-kafka-0-10's version when Maven Central lacks the line's own (the SQL jars' resolver). */
    abstract String tokenProviderVersion();

    static final int SLUICE_SECONDS = 100;
    /** The Sluice run's query is stopped mid-batch after this many seconds and restarted from its checkpoint. */
    static final int STOP_AFTER = 45;
    static final int STOCK_SECONDS = 45;
    /** Batches of each query run not judged for duration: the first (safe start, or the replay) and the next. */
    static final int NOT_JUDGED = 2;
    /** The backlog must drain at this share of the capacity the run's own full batches showed, at least. */
    static final double MIN_DRAIN_SHARE = 0.8;
    static final int WINDOWED_SECONDS = 90;

    @Test
    void sluiceBoundsTheFileSourceRestartsMidBatchAndKeepsEveryRowOnce() throws IOException {
        FileStructuredRun d = FileStructuredRun.run(home, tokenProviderVersion(), "sluice", SLUICE_SECONDS,
                STOP_AFTER, "");
        String label = home.version() + " file-sql sluice";
        int firstFiles = assertGovernedFromOneFile(label, d);

        // The stop: a batch planned (offset log) and not committed, so the restart must replay it.
        Map<String, String> stop = Csv.read(d.out.resolve("stop.csv")).rows.get(0);
        long stopped = Csv.num(stop, "lastOffsetBatch");
        assertEquals(Csv.num(stop, "lastCommitBatch") + 1, stopped, label + ": the query was not stopped mid-batch: "
                + stop);
        String entryAtStop = Files.readString(d.out.resolve("stopped-offsets-entry.txt"));
        assertEquals(entryAtStop, Files.readString(d.checkpoint.resolve("offsets").resolve(String.valueOf(stopped))),
                label + ": batch " + stopped + "'s offset-log entry changed across the restart");
        List<Long> replayedFiles = d.filesOf(FileStructuredRun.logOffset(entryAtStop));
        int restart = AbstractKafkaStructuredSmokeTest.indexOf(d.progress, stopped);
        assertTrue(restart > 0, label + ": no progress for the replayed batch " + stopped + shape(d.progress));
        Progress replay = d.progress.get(restart);
        assertTrue(replayedFiles.size() > 1, label + ": the stopped batch held " + replayedFiles.size() + " file(s), "
                + "not enough to tell a replay from a new safe start");
        assertEquals(replayedFiles.size() * (long) ROWS_PER_FILE, replay.rows(), label + ": the replayed batch "
                + stopped + " read other rows than its logged range (" + replayedFiles.size() + " files)");

        List<Progress> first = d.progress.subList(0, restart);
        List<Progress> second = d.progress.subList(restart, d.progress.size());
        assertTrue(first.size() >= NOT_JUDGED + 10 && second.size() >= NOT_JUDGED + 10,
                label + ": too few data batches" + shape(d.progress));
        long[] durations = java.util.stream.Stream.concat(first.stream().skip(NOT_JUDGED),
                second.stream().skip(NOT_JUDGED)).mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];

        String exactlyOnce = assertEveryRowOnce(label, d);
        double capacity = capacity(d);
        long backlogsEnd = d.batchThatReachedTheBacklogsEnd();
        BacklogDrain drain = BacklogDrain.of(List.of(d.batches.subList(0, restart),
                d.batches.subList(restart, d.batches.size())), backlogsEnd);
        double drainShare = drain.rowsPerSecond() / capacity;
        BacklogDrain beforeStop = BacklogDrain.of(List.of(d.batches.subList(0, restart)), backlogsEnd);
        Figures.record(String.format("%s: batch 0 took %d file (source log); %d data batches (%d before the stop, %d "
                        + "after), judged (all but the first %d of each run) median duration %d ms, max %d ms (trigger "
                        + "%d ms); stopped during batch %d, replayed with its logged %d files (%d rows); %s; backlog "
                        + "drained at %s = %.2f of the capacity (the first query run alone: %s = %.2f), %s", label,
                firstFiles, d.progress.size(), first.size(), second.size(), NOT_JUDGED, median, max, TRIGGER_MS,
                stopped, replayedFiles.size(), replay.rows(), exactlyOnce, drain, drainShare, beforeStop,
                beforeStop.rowsPerSecond() / capacity, describeCapacity(d)));
        assertWithinTwoTriggersAndDrained(label, d, max, drain, drainShare);
    }

    /** The bar: no judged batch over 2 triggers, the backlog drained at {@link #MIN_DRAIN_SHARE} or more. */
    static void assertWithinTwoTriggersAndDrained(String label, FileStructuredRun d, long max, BacklogDrain drain,
                                                  double drainShare) {
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers"
                + shape(d.progress));
        assertTrue(drainShare >= MIN_DRAIN_SHARE, String.format("%s: the backlog was drained at %s, %.2f of the "
                + "capacity (%s), under %.1f%s", label, drain, drainShare, describeCapacity(d), MIN_DRAIN_SHARE,
                shape(d.progress)));
    }

    /**
     * A windowed count behind a watermark (a stateful query: every batch restores and commits a state store in each
     * of its 8 shuffle partitions, a fixed cost whatever the batch holds) on the same backlog and arrivals, one query
     * run, the agent unconfigured. Every batch but the first two must end within 2 triggers, and the sink must hold
     * exactly the windows the watermark Spark logged for the sink's last batch had closed, each once, each with the
     * count of ids this test wrote into it.
     */
    @Test
    void sluiceBoundsAWindowedCountBehindAWatermarkAndEveryClosedWindowIsExact() throws IOException {
        FileStructuredRun d = FileStructuredRun.runWindowed(home, tokenProviderVersion(), "windowed-sluice",
                WINDOWED_SECONDS, "");
        String label = home.version() + " file-sql windowed count sluice";
        int firstFiles = assertGovernedFromOneFile(label, d);
        assertTrue(d.progress.size() >= NOT_JUDGED + 10, label + ": too few data batches" + shape(d.progress));
        long[] durations = d.progress.stream().skip(NOT_JUDGED).mapToLong(Progress::durationMs).sorted().toArray();
        long median = durations[durations.length / 2];
        long max = durations[durations.length - 1];

        // Figures first, whatever the windows show: a run is too dear to lose its figures to the first failure.
        String windows;
        AssertionError wrongWindows = null;
        try {
            windows = assertEveryClosedWindowExact(label, d);
        } catch (AssertionError e) {
            windows = "WINDOWS WRONG: " + e.getMessage();
            wrongWindows = e;
        }
        double capacity = capacity(d);
        BacklogDrain drain = BacklogDrain.of(List.of(d.batches), d.batchThatReachedTheBacklogsEnd());
        Figures.record(String.format("%s: batch 0 took %d file (source log); %d data batches in %d s, judged (all but "
                        + "the first %d) median duration %d ms, max %d ms (trigger %d ms); longest event without rows "
                        + "%d ms; fixed cost per batch (line fitted to the judged batches; NaN: not separable) %.0f ms; %s; backlog drained at %s = %.2f of the "
                        + "capacity, %s", label, firstFiles, d.progress.size(), WINDOWED_SECONDS, NOT_JUDGED, median,
                max, TRIGGER_MS, d.longestNoDataMs, BatchCapacity.fittedOverheadMs(
                        d.batches.subList(NOT_JUDGED, d.batches.size()), Batch::rows, Batch::durationMs), windows, drain, drain.rowsPerSecond() / capacity, describeCapacity(d)));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers"
                + shape(d.progress));
        if (wrongWindows != null) {
            throw wrongWindows;
        }
    }

    /**
     * The sink holds exactly the windows closed by the watermark Spark logged for the sink's last batch (window end at
     * or before it), each once, each with the count of the ids written into it; returns what was checked.
     */
    static String assertEveryClosedWindowExact(String label, FileStructuredRun d) throws IOException {
        assertTrue(d.lastSinkBatch >= 0, label + ": the sink committed nothing");
        long watermarkMs = d.watermarkMsOf(d.lastSinkBatch);
        assertTrue(watermarkMs >= 0, label + ": no watermark in the offset log for batch " + d.lastSinkBatch);
        long windowMs = WINDOW_SECONDS * 1000L;
        long closed = watermarkMs / windowMs;
        assertTrue(closed >= 5, label + ": only " + closed + " windows closed (watermark " + watermarkMs + " ms)");
        long idsWritten = d.filesWritten * ROWS_PER_FILE;
        long idsPerWindow = (long) WINDOW_SECONDS * EVENT_ROWS_PER_SECOND;
        List<Window> expected = new ArrayList<>();
        for (long w = 0; w < closed; w++) {
            long from = w * idsPerWindow;
            long until = Math.min(from + idsPerWindow, idsWritten);
            expected.add(new Window(w * WINDOW_SECONDS, Math.max(0, until - from)));
        }
        if (!expected.equals(d.sinkWindows)) {
            int i = 0;
            while (i < expected.size() && i < d.sinkWindows.size() && expected.get(i).equals(d.sinkWindows.get(i))) {
                i++;
            }
            throw new AssertionError(String.format("%s: the sink holds %d window rows, the watermark %d ms closed %d; "
                            + "first difference at %d: sink %s, written %s", label, d.sinkWindows.size(), watermarkMs,
                    closed, i, i < d.sinkWindows.size() ? d.sinkWindows.get(i) : "nothing",
                    i < expected.size() ? expected.get(i) : "nothing"));
        }
        // The watermark from the input alone: the largest event time the batches before the sink's last read, less the
        // delay (Spark's rule), for the record beside the one Spark logged.
        long largestId = d.lastSinkBatch == 0 ? -1 : d.largestIdUpTo(d.logBatchOf(d.lastSinkBatch - 1));
        long fromInput = Math.max(0, (largestId / EVENT_ROWS_PER_SECOND - WATERMARK_SECONDS) * 1000);
        return String.format("windows: the sink holds the %d windows of %d s closed by the watermark of its last batch "
                        + "%d (%d ms logged; %d ms from the ids its earlier batches read), each once with the %d rows "
                        + "written into it", closed, WINDOW_SECONDS, d.lastSinkBatch, watermarkMs, fromInput,
                idsPerWindow);
    }

    /**
     * The job ended cleanly, Sluice governed its file source without a failure and with a limit kind the source knows,
     * and batch 0 took one file (the safe start; the source's log says so); returns batch 0's files.
     */
    static int assertGovernedFromOneFile(String label, FileStructuredRun d) throws IOException {
        return assertGovernedFromOneFile(label, d, "first batch bounded at 1 file");
    }

    /** As above, the driver log saying the first batch's limit as {@code firstLine}. */
    static int assertGovernedFromOneFile(String label, FileStructuredRun d, String firstLine) throws IOException {
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        String out = d.run.driverOutput();
        assertTrue(out.contains(firstLine), "the admission never ran:\n"
                + d.run.driverStderrTail(80));
        assertTrue(!out.contains("admission failed"), "a Sluice hook failed:\n" + d.run.driverStderrTail(80));
        assertTrue(!out.contains("MatchError"), "the file source got a limit kind it does not know:\n"
                + d.run.driverStderrTail(80));
        int firstFiles = d.filesOf(d.logBatchOf(0)).size();
        assertEquals(1, firstFiles, label + ": batch 0 took " + firstFiles + " files (source log)");
        return firstFiles;
    }

    /** Rows per second of processing over the full batches of the run ({@link BatchCapacity#fullBatches}). */
    static double capacity(FileStructuredRun d) {
        return BatchCapacity.fullBatches(d.batches, Batch::rows, Batch::durationMs, TRIGGER_MS);
    }

    static String describeCapacity(FileStructuredRun d) {
        long full = d.batches.stream()
                .filter(b -> b.durationMs() >= BatchCapacity.FULL_BATCH_SHARE * TRIGGER_MS).count();
        double capacity = capacity(d);
        return String.format("capacity %.0f rows/s (%s: %d of %d data batches processed >= %.0f %% of the trigger); "
                        + "backlog %d rows = %.0f s of it", capacity,
                full >= BatchCapacity.MIN_FULL_BATCHES ? "full batches" : "fitted line, too few full batches", full,
                d.batches.size(), BatchCapacity.FULL_BATCH_SHARE * 100, BACKLOG_FILES * (long) ROWS_PER_FILE,
                BACKLOG_FILES * (double) ROWS_PER_FILE / capacity);
    }

    @Test
    void withoutTheAgentTheFirstBatchTakesTheWholeBacklog() throws IOException {
        FileStructuredRun d = FileStructuredRun.run(home, tokenProviderVersion(), "stock", STOCK_SECONDS, 0, null);
        String label = home.version() + " file-sql stock";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        int firstFiles = d.filesOf(d.logBatchOf(0)).size();
        Figures.record(String.format("%s: batch 0 took %d files (source log; backlog %d files, %d rows); %d data "
                        + "batches completed in %d s%s", label, firstFiles, BACKLOG_FILES,
                BACKLOG_FILES * ROWS_PER_FILE, d.progress.size(), STOCK_SECONDS, shape(d.progress)));
        assertTrue(firstFiles >= BACKLOG_FILES, label + ": batch 0 took " + firstFiles + " < backlog "
                + BACKLOG_FILES);
    }

    /**
     * The ids the sink holds equal, one for one, the ids of the files the source's log assigns to the batches up to the
     * sink's last committed one: none lost, none twice, none foreign.
     */
    static String assertEveryRowOnce(String label, FileStructuredRun d) throws IOException {
        assertTrue(d.lastSinkBatch >= 0, label + ": the sink committed nothing");
        long lastLogBatch = d.logBatchOf(d.lastSinkBatch);
        List<Long> expected = d.idsOfFilesUpTo(lastLogBatch);
        assertEquals(expected.size(), d.sinkIds.size(), label + ": the sink holds " + d.sinkIds.size()
                + " ids, the files of batches up to " + d.lastSinkBatch + " hold " + expected.size());
        for (int i = 0; i < expected.size(); i++) {
            if (!expected.get(i).equals(d.sinkIds.get(i))) {
                throw new AssertionError(label + ": at position " + i + " the sink holds id " + d.sinkIds.get(i)
                        + ", the input files " + expected.get(i));
            }
        }
        return String.format("exactly once: the sink's %d ids equal one for one those of the %d files its %d batches "
                + "took (%d files written)", d.sinkIds.size(), expected.size() / ROWS_PER_FILE, d.lastSinkBatch + 1,
                d.filesWritten);
    }

    static String shape(List<Progress> batches) {
        return AbstractKafkaStructuredSmokeTest.shape(batches);
    }
}
