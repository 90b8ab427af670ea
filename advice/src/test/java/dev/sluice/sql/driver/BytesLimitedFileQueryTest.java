package dev.sluice.sql.driver;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file-source query under a user {@code maxBytesPerTrigger}, simulated trigger by trigger with the real default
 * estimator and the source's own selection ({@code takeFilesUntilMax}: the first file always, then files while their
 * total stays within the limit), which reports what it took as the advice does. A file holds 2 000 rows in 200 000
 * bytes; a batch of r rows takes 300 ms + 0.05 ms per row (about 17 files fit a 2 s trigger).
 */
class BytesLimitedFileQueryTest {

    private static final long INTERVAL = 2000;
    private static final long GB = 1L << 30;
    private static final Object SOURCE = new Object();
    private static final String FILES = "FileStreamSource[file:/in]";
    private static final long FILE_BYTES = 200_000;
    private static final long FILE_ROWS = 2_000;

    private final List<String> lines = new ArrayList<String>();
    /** Each planning's bytes limit, in order. */
    private final List<Long> limits = new ArrayList<Long>();

    private QueryAdmission query() {
        return new QueryAdmission("'q'", INTERVAL, 100,
                RateEstimators.create(EstimatorSettings.builder(INTERVAL).build()), lines::add);
    }

    private static long durationOf(long rows) {
        return 300 + rows / 20;
    }

    /** What the source takes under {@code limit}: its first file always, then files while the total fits. */
    private static long take(Deque<long[]> waiting, long limit) {
        long taken = 0;
        int i = 0;
        while (!waiting.isEmpty() && (i == 0 || taken + waiting.peek()[0] <= limit)) {
            taken += waiting.poll()[0];
            i++;
        }
        return taken;
    }

    private static long bytesOf(Deque<long[]> files) {
        long bytes = 0;
        for (long[] f : files) {
            bytes += f[0];
        }
        return bytes;
    }

    /**
     * Runs triggers against {@code backlog} files ({@code arrivals[b]} more arrive after batch b); returns each batch's
     * files. The source's backlog is reported in bytes, as the advice reports the split's rest.
     */
    private long[] run(QueryAdmission query, int backlog, long[] arrivals, long userCap) {
        Deque<long[]> waiting = new ArrayDeque<long[]>();
        for (int i = 0; i < backlog; i++) {
            waiting.add(new long[] {FILE_BYTES});
        }
        long[] files = new long[arrivals.length];
        long now = 1_000_000;
        for (int b = 0; b < arrivals.length; b++) {
            long limit = query.maxBytes(SOURCE, FILES, userCap);
            limits.add(limit);
            long taken = take(waiting, limit);
            query.bytesTaken(SOURCE, taken, bytesOf(waiting));
            files[b] = taken / FILE_BYTES;
            for (int i = 0; i < arrivals[b]; i++) {
                waiting.add(new long[] {FILE_BYTES});
            }
            long rows = files[b] * FILE_ROWS;
            long duration = durationOf(rows);
            query.completed(b, now, duration, new String[] {FILES}, new long[] {rows});
            now += Math.max(INTERVAL, duration);
        }
        return files;
    }

    private static long[] steady(int triggers, long files) {
        long[] a = new long[triggers];
        Arrays.fill(a, files);
        return a;
    }

    @Test
    void aFarTooHighCapIsGovernedFromOneFileToTheTriggerInterval() {
        QueryAdmission query = query();
        long[] files = run(query, 400, steady(40, 12), GB);
        String shown = Arrays.toString(files);
        assertEquals(1, files[0], shown);
        assertEquals(1L, (long) limits.get(0), "the safe start: one byte");
        assertTrue(lines.get(0).contains("first batch bounded at 1 byte, which admits exactly the first file"),
                lines.get(0));
        for (int b = 1; b < files.length; b++) {
            assertTrue(files[b] <= 4 * files[b - 1], "batch " + b + ": " + shown);
        }
        for (int b = 0; b < files.length; b++) {
            assertTrue(durationOf(files[b] * FILE_ROWS) <= 1.1 * INTERVAL, "batch " + b + " overran: " + shown);
        }
        for (int b = 8; b < 20; b++) {
            assertTrue(durationOf(files[b] * FILE_ROWS) >= 0.8 * INTERVAL, "batch " + b + " below capacity: " + shown);
        }
        QueryStatus.Source status = query.status().sources.get(0);
        assertEquals("bytes", status.unit);
        assertTrue(status.backlog >= 0 && status.backlog % FILE_BYTES == 0, "the bytes left waiting: " + status.backlog);
    }

    @Test
    void aCapBelowOneFileAdmitsExactlyOneFilePerBatchAndIsNeverExceeded() {
        long[] files = run(query(), 50, steady(20, 1), 150_000);
        for (int b = 0; b < files.length; b++) {
            assertEquals(1, files[b], "batch " + b);
            assertTrue(limits.get(b) <= 150_000, "limit " + limits.get(b));
        }
        assertEquals(150_000L, (long) limits.get(limits.size() - 1), "the cap, once the rows per byte are known");
    }

    @Test
    void aCapOfAFewFilesIsReachedAndNeverExceeded() {
        long[] files = run(query(), 400, steady(30, 12), 5 * FILE_BYTES);
        for (int b = 0; b < files.length; b++) {
            assertTrue(files[b] <= 5 && limits.get(b) <= 5 * FILE_BYTES, "batch " + b + ": " + Arrays.toString(files));
        }
        assertEquals(5, files[files.length - 1]);
    }

    @Test
    void aBurstAfterAnIdleStretchIsNotAdmittedAtOnce() {
        // 20 batches behind a backlog, 30 nearly idle (one file a trigger, far below the limit), then 5 000 files.
        long[] arrivals = steady(60, 1);
        arrivals[49] = 5_000;
        long[] files = run(query(), 300, arrivals, GB);
        for (int b = 50; b < files.length; b++) {
            long duration = durationOf(files[b] * FILE_ROWS);
            assertTrue(duration <= 1.25 * INTERVAL, "batch " + b + " took " + duration + " ms for " + files[b]
                    + " files: " + Arrays.toString(files));
        }
    }

    @Test
    void aRestartedQueryStartsAtOneFileThenHoldsWhatItsReplayedBatchProved() {
        // The replayed batch: 10 files, 20 000 rows in 1.3 s: 30 769 rows fit 2 s, 15 files (3 076 923 bytes).
        QueryAdmission query = query();
        query.completed(23, 1_000_000, 1300, new String[] {FILES}, new long[] {20_000});
        long[] files = run(query, 100, steady(2, 0), GB);
        assertEquals(1, files[0]);
        assertEquals(15, files[1]);
        assertTrue(lines.get(0).contains("the replayed batch read 20000 rows in 1300 ms"), lines.get(0));
    }
}
