package dev.sluice.smoke;

import static dev.sluice.smoke.FileStructuredRun.BACKLOG_FILES;
import static dev.sluice.smoke.FileStructuredRun.ROWS_PER_FILE;
import static dev.sluice.smoke.FileStructuredRun.TRIGGER_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.KafkaStructuredRun.Progress;

/**
 * Structured Streaming on a file source (issue 12) on real multi-JVM Spark: a JSON file-source query with no rate
 * option, a 2 s processing-time trigger, a checkpoint and a parquet sink, behind a backlog of 3 000 small files (60 s
 * of the job's ceiling) with files still arriving. The agent runs with no configuration at all. What each batch took
 * is read from the query's own offset and source logs (written before the batch runs); exactly-once is checked id by
 * id: the ids the sink holds (its committed files, read back by the job) against the ids of the files the source's log
 * assigns to the batches the sink committed, which this test wrote and knows.
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

    @Test
    void sluiceBoundsTheFileSourceRestartsMidBatchAndKeepsEveryRowOnce() throws IOException {
        FileStructuredRun d = FileStructuredRun.run(home, tokenProviderVersion(), "sluice", SLUICE_SECONDS,
                STOP_AFTER, "");
        String label = home.version() + " file-sql sluice";
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(60));
        String out = d.run.driverOutput();
        assertTrue(out.contains("first batch bounded at 1 file"), "the admission never ran:\n"
                + d.run.driverStderrTail(80));
        assertTrue(!out.contains("admission failed"), "a Sluice hook failed:\n" + d.run.driverStderrTail(80));
        assertTrue(!out.contains("MatchError"), "the file source got a limit kind it does not know:\n"
                + d.run.driverStderrTail(80));
        int firstFiles = d.filesOf(d.logBatchOf(0)).size();
        assertEquals(1, firstFiles, label + ": batch 0 took " + firstFiles + " files (source log)");

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
        Figures.record(String.format("%s: batch 0 took %d file (source log); %d data batches (%d before the stop, %d "
                        + "after), judged (all but the first %d of each run) median duration %d ms, max %d ms (trigger "
                        + "%d ms); stopped during batch %d, replayed with its logged %d files (%d rows); %s", label,
                firstFiles, d.progress.size(), first.size(), second.size(), NOT_JUDGED, median, max, TRIGGER_MS,
                stopped, replayedFiles.size(), replay.rows(), exactlyOnce));
        assertTrue(max <= 2 * TRIGGER_MS, label + ": a batch took " + max + " ms, over 2 triggers"
                + shape(d.progress));
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
