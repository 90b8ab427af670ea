package dev.sluice.sql.driver;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query behind a backlog, simulated trigger by trigger with the real default estimator: a batch of r rows takes
 * 300 ms + 0.05 ms per row (capacity about 34 000 rows in a 2 s trigger), and the source admits min(limit, backlog).
 */
class QueryAdmissionTest {

    private static final long INTERVAL = 2000;
    private static final Object SOURCE = new Object();
    private static final String KAFKA = "KafkaV2[Subscribe[events]]";

    private final List<String> lines = new ArrayList<String>();

    private QueryAdmission query() {
        return new QueryAdmission("'q'", INTERVAL, 100,
                RateEstimators.create(EstimatorSettings.builder(INTERVAL).build()), lines::add);
    }

    private static long durationOf(long rows) {
        return 300 + rows / 20;
    }

    /** Runs {@code triggers} triggers against a backlog; returns each batch's admitted rows. */
    private static long[] run(QueryAdmission query, long backlog, long arrivalsPerTrigger, long userCap, int triggers) {
        long[] admitted = new long[triggers];
        long now = 1_000_000;
        for (int b = 0; b < triggers; b++) {
            long limit = query.maxRows(SOURCE, KAFKA, userCap);
            long rows = Math.min(limit, backlog);
            backlog = backlog - rows + arrivalsPerTrigger;
            admitted[b] = rows;
            long duration = durationOf(rows);
            query.completed(b, now, duration, new String[] {KAFKA}, new long[] {rows});
            now += Math.max(INTERVAL, duration);
        }
        return admitted;
    }

    @Test
    void theFirstBatchIsBoundedByTheSafeStartNotTheBacklog() {
        long[] admitted = run(query(), 2_000_000, 0, RowLimit.NO_CAP, 1);
        assertEquals(200, admitted[0]);
        assertTrue(lines.get(0).contains("first batch bounded at 200 rows"), lines.get(0));
    }

    @Test
    void batchesSettleNearTheTriggerIntervalBehindABacklog() {
        long[] admitted = run(query(), 5_000_000, 5_000, RowLimit.NO_CAP, 40);
        // From the safe start the limit grows at most twofold per batch beyond the largest batch measured (a cost line
        // fitted to small batches is not extrapolated), so 34 000 rows are reached at batch 6, not at once.
        for (int b = 1; b < admitted.length; b++) {
            assertTrue(admitted[b] <= Math.max(2 * admitted[b - 1], 2_000), "batch " + b + ": "
                    + java.util.Arrays.toString(admitted));
        }
        for (int b = 6; b < admitted.length; b++) {
            long duration = durationOf(admitted[b]);
            assertTrue(duration <= 1.1 * INTERVAL && duration >= 0.6 * INTERVAL,
                    "batch " + b + " took " + duration + " ms for " + admitted[b] + " rows: "
                            + java.util.Arrays.toString(admitted));
        }
    }

    @Test
    void theUsersMaxOffsetsPerTriggerStaysTheCeiling() {
        long[] admitted = run(query(), 5_000_000, 5_000, 7_000, 40);
        long max = 0;
        for (long a : admitted) {
            max = Math.max(max, a);
        }
        assertEquals(7_000, max, "reaches the cap once capacity allows, never more");
    }

    @Test
    void aRepeatedBatchIdIsFedOnce() {
        QueryAdmission query = query();
        query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP);
        query.completed(0, 1_000_000, 400, new String[] {KAFKA}, new long[] {200});
        long afterFirst = query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP);
        // A no-data trigger reports under an id already seen, with a duration that would cut the bound if believed.
        query.completed(0, 1_002_000, 60_000, new String[] {KAFKA}, new long[] {200});
        assertEquals(afterFirst, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
    }

    @Test
    void aBatchReportedAfterANoDataTriggerUnderTheSameIdIsStillFed() {
        QueryAdmission query = query();
        query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP);
        query.completed(0, 1_000_000, 900, new String[] {KAFKA}, new long[] {200});
        // Idle: a no-data trigger reports under id 1, the batch still to come; then batch 1 runs with data.
        query.completed(1, 1_010_000, 5, new String[] {KAFKA}, new long[] {0});
        query.completed(1, 1_012_000, 800, new String[] {KAFKA}, new long[] {150});
        QueryStatus.Source shown = query.status().sources.get(0);
        assertEquals(150, shown.lastBatchAdmitted, "batch 1's rows are counted");
        assertEquals(350, shown.admitted);
        assertEquals(800, query.status().lastBatchDurationMs);
        // Seen again (a later no-data report of the same id, or the same progress re-read): ignored.
        query.completed(1, 1_020_000, 60_000, new String[] {KAFKA}, new long[] {150});
        assertEquals(800, query.status().lastBatchDurationMs);
    }

    @Test
    void aSourceLeftAloneGetsNoLimit() {
        QueryAdmission query = query();
        assertTrue(query.leaveAlone(SOURCE));
        assertEquals(-1, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
        assertTrue(!query.leaveAlone(SOURCE), "said once");
    }

    private static final String FILES = "FileStreamSource[file:/in]";
    private static final int ROWS_PER_FILE = 20;

    /**
     * A file source: runs triggers against a backlog of files of 20 rows ({@code arrivals[b]} files arrive after batch
     * b); returns each batch's admitted files.
     */
    private static long[] runFiles(QueryAdmission query, long backlogFiles, long[] arrivals, int userCap) {
        long[] admitted = new long[arrivals.length];
        long now = 1_000_000;
        for (int b = 0; b < arrivals.length; b++) {
            long limit = query.maxFiles(SOURCE, FILES, userCap);
            long files = Math.min(limit, backlogFiles);
            backlogFiles = backlogFiles - files + arrivals[b];
            admitted[b] = files;
            long duration = durationOf(files * ROWS_PER_FILE);
            query.completed(b, now, duration, new String[] {FILES}, new long[] {files * ROWS_PER_FILE});
            now += Math.max(INTERVAL, duration);
        }
        return admitted;
    }

    private static long[] steady(int triggers, long files) {
        long[] a = new long[triggers];
        java.util.Arrays.fill(a, files);
        return a;
    }

    @Test
    void aFileSourceStartsAtOneFileThenSettlesNearTheTriggerInterval() {
        long[] admitted = runFiles(query(), 100_000, steady(40, 250), FileLimit.NO_CAP);
        assertEquals(1, admitted[0]);
        assertTrue(lines.get(0).contains("first batch bounded at 1 file"), lines.get(0));
        for (int b = 1; b < admitted.length; b++) {
            assertTrue(admitted[b] <= 4 * admitted[b - 1], "batch " + b + ": " + java.util.Arrays.toString(admitted));
        }
        for (int b = 12; b < admitted.length; b++) {
            long duration = durationOf(admitted[b] * ROWS_PER_FILE);
            assertTrue(duration <= 1.1 * INTERVAL && duration >= 0.6 * INTERVAL, "batch " + b + " took " + duration
                    + " ms for " + admitted[b] + " files: " + java.util.Arrays.toString(admitted));
        }
    }

    @Test
    void aFileSourceRampsFasterThanTwofoldWhereEachBatchProvesTheNextFitsTheTarget() {
        // A batch of r rows that took d ms proves r x T/d rows fit (time is affine in rows here: 300 ms + r/20), so
        // the ramp from one file goes fourfold while batches take under a quarter of the trigger (1, 4, 16, 64, 256)
        // and is at capacity by batch 6; growing twofold it took 11 batches (1, 2, 4, ... 1 024).
        long[] admitted = runFiles(query(), 100_000, steady(20, 250), FileLimit.NO_CAP);
        String shown = java.util.Arrays.toString(admitted);
        for (int b = 0; b < admitted.length; b++) {
            assertTrue(durationOf(admitted[b] * ROWS_PER_FILE) <= INTERVAL, "batch " + b + " overran: " + shown);
        }
        for (int b = 1; b < 5; b++) {
            assertEquals(4 * admitted[b - 1], admitted[b], "batch " + b + ": " + shown);
        }
        for (int b = 6; b < admitted.length; b++) {
            assertTrue(durationOf(admitted[b] * ROWS_PER_FILE) >= 0.9 * INTERVAL, "batch " + b + " still ramping: "
                    + shown);
        }
    }

    @Test
    void aBatchThatTookOverHalfTheTriggerGrowsAtMostTwofold() {
        // 1.2 s of fixed cost: every batch takes over half the 2 s trigger, so no batch proves more than twofold fits.
        QueryAdmission query = query();
        long now = 1_000_000;
        long previous = 0;
        for (int b = 0; b < 8; b++) {
            long files = query.maxFiles(SOURCE, FILES, FileLimit.NO_CAP);
            if (b > 0) {
                assertTrue(files <= 2 * previous, "batch " + b + ": " + files + " files after " + previous);
            }
            previous = files;
            query.completed(b, now, 1200 + files, new String[] {FILES}, new long[] {files * ROWS_PER_FILE});
            now += INTERVAL;
        }
    }

    /** The progress of a replayed batch of {@code files} files that took {@code durationMs}, seen before any limit. */
    private static void replayed(QueryAdmission query, long batchId, long files, long durationMs) {
        query.completed(batchId, 1_000_000, durationMs, new String[] {FILES}, new long[] {files * ROWS_PER_FILE});
    }

    @Test
    void aRestartedFileQueryStartsAtOneFileThenHoldsWhatItsReplayedBatchProved() {
        // The run replays the batch the previous run planned (1 000 files, 20 000 rows in 1.3 s: 30 769 rows fit 2 s),
        // then plans its own: one file (rows per file unknown), then what the replay proved, not 4 files.
        QueryAdmission query = query();
        replayed(query, 23, 1000, 1300);
        assertEquals(1, query.maxFiles(SOURCE, FILES, FileLimit.NO_CAP), "the first batch stays the safe start");
        assertTrue(lines.get(0).contains("the replayed batch read 20000 rows in 1300 ms, so the next may hold up to "
                + "30769 rows"), lines.get(0));
        query.completed(24, 1_004_000, durationOf(ROWS_PER_FILE), new String[] {FILES}, new long[] {ROWS_PER_FILE});
        long second = query.maxFiles(SOURCE, FILES, FileLimit.NO_CAP);
        assertEquals(30_769 / ROWS_PER_FILE, second);
        assertTrue(durationOf(second * ROWS_PER_FILE) <= INTERVAL, second + " files");
    }

    @Test
    void aReplayedBatchNeverLiftsTheUsersCapsOrTheFirstBatch() {
        QueryAdmission capped = new QueryAdmission("'q'", "q", new QueryOptions(INTERVAL, INTERVAL, 3_000), 100,
                RateEstimators.create(EstimatorSettings.builder(INTERVAL).build()), lines::add);
        replayed(capped, 7, 1000, 1300);
        assertEquals(1, capped.maxFiles(SOURCE, FILES, 600));
        capped.completed(8, 1_004_000, durationOf(ROWS_PER_FILE), new String[] {FILES}, new long[] {ROWS_PER_FILE});
        assertEquals(3_000 / ROWS_PER_FILE, capped.maxFiles(SOURCE, FILES, 600), "the per-query rows ceiling");
        QueryAdmission query = query();
        replayed(query, 7, 1000, 1300);
        assertEquals(1, query.maxFiles(SOURCE, FILES, 60));
        query.completed(8, 1_004_000, durationOf(ROWS_PER_FILE), new String[] {FILES}, new long[] {ROWS_PER_FILE});
        assertEquals(60, query.maxFiles(SOURCE, FILES, 60), "the user's maxFilesPerTrigger");
    }

    @Test
    void aSlowReplayedBatchProvesLessThanItHeld() {
        // 20 000 rows in 5 s: 8 000 fit the 2 s trigger.
        QueryAdmission query = query();
        replayed(query, 3, 1000, 5000);
        query.maxFiles(SOURCE, FILES, FileLimit.NO_CAP);
        query.completed(4, 1_006_000, durationOf(ROWS_PER_FILE), new String[] {FILES}, new long[] {ROWS_PER_FILE});
        assertEquals(8_000 / ROWS_PER_FILE, query.maxFiles(SOURCE, FILES, FileLimit.NO_CAP));
    }

    @Test
    void aRestartedKafkaQueryStartsAtTheSafeStartAndSizesItsSecondBatchFromItsFirst() {
        // What the Kafka path does after a restart (unchanged; the docs say it): the replay is not used, the first batch
        // is the safe start (200 rows), and the second is what that batch proved: 200 rows in 600 ms on a cost model
        // with one batch (all per row), 200 x 0.99 x 2 000 / 600 = 660 rows, 3.3-fold; from then on at most twofold.
        QueryAdmission query = query();
        query.completed(19, 1_000_000, 2200, new String[] {KAFKA}, new long[] {1529});
        assertEquals(200, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
        query.completed(20, 1_004_000, 600, new String[] {KAFKA}, new long[] {200});
        assertEquals(660, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
    }

    @Test
    void aBurstAfterAnIdleStretchIsNotAdmittedAtOnce() {
        // 20 batches behind a backlog, 30 nearly idle (5 files a trigger), then 50 000 files at once.
        long[] arrivals = steady(60, 5);
        arrivals[49] = 50_000;
        long[] admitted = runFiles(query(), 40_000, arrivals, FileLimit.NO_CAP);
        for (int b = 50; b < admitted.length; b++) {
            long duration = durationOf(admitted[b] * ROWS_PER_FILE);
            assertTrue(duration <= 1.25 * INTERVAL, "batch " + b + " took " + duration + " ms for " + admitted[b]
                    + " files: " + java.util.Arrays.toString(admitted));
        }
    }

    @Test
    void theUsersMaxFilesPerTriggerStaysTheCeiling() {
        long[] admitted = runFiles(query(), 100_000, steady(40, 250), 300);
        long max = 0;
        for (long a : admitted) {
            max = Math.max(max, a);
        }
        assertEquals(300, max, "reaches the cap once capacity allows, never more");
    }

    /** A query with the default trigger: batches run back to back; the target is sluice.sql.defaultTriggerTarget. */
    private QueryAdmission defaultTriggerQuery(long targetMs, long maxRows) {
        QueryOptions options = new QueryOptions(0, targetMs, maxRows);
        return new QueryAdmission("'d'", "d", options, 100,
                RateEstimators.create(EstimatorSettings.builder(targetMs).build()), lines::add);
    }

    @Test
    void theDefaultTriggerStillBoundsTheFirstBatchAndAimsAtItsTarget() {
        QueryAdmission query = defaultTriggerQuery(1000, RowLimit.NO_CAP);
        long backlog = 5_000_000;
        long now = 1_000_000;
        long[] admitted = new long[40];
        for (int b = 0; b < admitted.length; b++) {
            long rows = Math.min(query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP), backlog);
            backlog -= rows;
            admitted[b] = rows;
            long duration = durationOf(rows);
            query.completed(b, now, duration, new String[] {KAFKA}, new long[] {rows});
            now += duration; // no interval: the next batch starts when this one ends
        }
        assertEquals(100, admitted[0], "safe start: 100 rows/s x 1 s");
        assertTrue(lines.get(0).contains("default trigger"), lines.get(0));
        for (int b = 8; b < admitted.length; b++) {
            long duration = durationOf(admitted[b]);
            assertTrue(duration <= 1.1 * 1000 && duration >= 0.6 * 1000, "batch " + b + " took " + duration
                    + " ms for " + admitted[b] + " rows: " + java.util.Arrays.toString(admitted));
        }
    }

    @Test
    void thePerQueryCeilingCapsRowsAndTheRowsAFileLimitStandsFor() {
        QueryAdmission query = new QueryAdmission("'q'", "q", new QueryOptions(INTERVAL, INTERVAL, 3_000), 100,
                RateEstimators.create(EstimatorSettings.builder(INTERVAL).build()), lines::add);
        long[] rows = run(query, 5_000_000, 5_000, RowLimit.NO_CAP, 30);
        long max = 0;
        for (long a : rows) {
            max = Math.max(max, a);
        }
        assertEquals(3_000, max, "reaches the ceiling once capacity allows, never more");
        QueryAdmission files = new QueryAdmission("'f'", "f", new QueryOptions(INTERVAL, INTERVAL, 3_000), 100,
                RateEstimators.create(EstimatorSettings.builder(INTERVAL).build()), lines::add);
        long[] admittedFiles = runFiles(files, 100_000, steady(30, 250), FileLimit.NO_CAP);
        for (long f : admittedFiles) {
            assertTrue(f * ROWS_PER_FILE <= 3_000, java.util.Arrays.toString(admittedFiles));
        }
        assertEquals(3_000 / ROWS_PER_FILE, admittedFiles[admittedFiles.length - 1]);
    }

    @Test
    void theStatusShowsLimitAdmittedRowsFromOffsetsAndTheKafkaBacklog() {
        QueryAdmission query = query();
        Object files = new Object();
        assertEquals(200, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
        assertEquals(1, query.maxFiles(files, FILES, FileLimit.NO_CAP));
        QueryStatus before = query.status();
        assertEquals(-1, before.lastBatchId);
        assertEquals("kafka0", before.sources.get(0).name);
        assertEquals("files0", before.sources.get(1).name);
        assertEquals(200, before.sources.get(0).limit);
        assertEquals(-1, before.sources.get(0).lastBatchAdmitted);

        // numInputRows 190 (say, transaction markers): the admitted range is what the offsets say, 200.
        query.completed(0, 1_000_000, 700, new QueryAdmission.ProgressSource[] {
            new QueryAdmission.ProgressSource(KAFKA, 190, "{\"t\":{\"0\":0,\"1\":0}}",
                    "{\"t\":{\"0\":120,\"1\":80}}", "{\"t\":{\"0\":30120,\"1\":29880}}"),
            new QueryAdmission.ProgressSource(FILES, 20, "{\"logOffset\":0}", "{\"logOffset\":1}", null)});
        QueryStatus after = query.status();
        assertEquals(0, after.lastBatchId);
        assertEquals(700, after.lastBatchDurationMs);
        assertEquals(INTERVAL, after.targetMs);
        QueryStatus.Source kafka = after.sources.get(0);
        assertEquals(200, kafka.lastBatchAdmitted);
        assertEquals(200, kafka.admitted);
        assertEquals(60_000 - 200, kafka.backlog);
        QueryStatus.Source file = after.sources.get(1);
        assertEquals(20, file.lastBatchAdmitted, "files: numInputRows (their offsets count batches, not rows)");
        assertEquals(-1, file.backlog, "the file source reports no latest offset");
        assertEquals("files", file.unit);

        long next = query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP);
        assertEquals(next, query.status().sources.get(0).limit);
    }
}
