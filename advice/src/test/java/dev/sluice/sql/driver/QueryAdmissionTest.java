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
            assertTrue(admitted[b] <= 2 * admitted[b - 1], "batch " + b + ": " + java.util.Arrays.toString(admitted));
        }
        for (int b = 12; b < admitted.length; b++) {
            long duration = durationOf(admitted[b] * ROWS_PER_FILE);
            assertTrue(duration <= 1.1 * INTERVAL && duration >= 0.6 * INTERVAL, "batch " + b + " took " + duration
                    + " ms for " + admitted[b] + " files: " + java.util.Arrays.toString(admitted));
        }
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
}
