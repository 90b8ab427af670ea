package dev.sluice.sql.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows to files: the safe start, the rows per file learnt from full batches, the user's cap. */
class FileLimitTest {

    /** A limit whose first batch (one file) read {@code rows}. */
    private static FileLimit afterAFirstFileOf(long rows) {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        f.next(200, FileLimit.NO_CAP);
        f.completed(rows, 1500);
        return f;
    }

    @Test
    void theFirstBatchIsOneFileWhateverTheRowLimit() {
        assertEquals(1, new FileLimit(2000, RowLimit.NO_CAP).next(1_000_000, FileLimit.NO_CAP));
        assertTrue(Double.isNaN(new FileLimit(2000, RowLimit.NO_CAP).rowsPerUnit()));
    }

    @Test
    void afterAFullBatchTheRowLimitIsDividedByTheRowsPerFile() {
        FileLimit f = afterAFirstFileOf(20);
        assertEquals(2, f.next(1_000, FileLimit.NO_CAP), "at most twice the largest batch read");
        f.completed(40, 1500);
        assertEquals(4, f.next(1_000, FileLimit.NO_CAP));
        f.completed(80, 1500);
        assertEquals(6, f.next(120, FileLimit.NO_CAP), "the row limit, once below twice the largest batch");
        assertEquals(1, f.next(5, FileLimit.NO_CAP), "never 0");
    }

    @Test
    void aBatchWithFewerFilesThanAllowedDoesNotLowerTheRowsPerFile() {
        FileLimit f = afterAFirstFileOf(20);
        for (int files = 2; files <= 64; files *= 2) {
            assertEquals(files, f.next(2_000, FileLimit.NO_CAP));
            f.completed(files * 20L, 1500);
        }
        assertEquals(100, f.next(2_000, FileLimit.NO_CAP));
        f.completed(40, 1500); // caught up: 2 files of the 100 allowed were waiting
        assertEquals(20.0, f.rowsPerUnit());
        assertEquals(100, f.next(2_000, FileLimit.NO_CAP), "an idle stretch does not open the gate");
    }

    @Test
    void largerFilesRaiseTheRowsPerFile() {
        FileLimit f = afterAFirstFileOf(20);
        f.next(2_000, FileLimit.NO_CAP); // 2 files
        f.completed(160, 1500); // full, 80 rows each
        assertEquals(80.0, f.rowsPerUnit());
        assertEquals(4, f.next(2_000, FileLimit.NO_CAP));
    }

    @Test
    void aBatchThatReadNothingTeachesNothing() {
        FileLimit f = afterAFirstFileOf(0);
        assertEquals(1, f.next(1_000, FileLimit.NO_CAP));
    }

    @Test
    void theUsersMaxFilesPerTriggerIsTheCeiling() {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        assertEquals(1, f.next(200, 7));
        f.completed(10, 1500);
        f.next(1_000_000, 7);
        f.completed(20, 1500);
        f.next(1_000_000, 7);
        f.completed(40, 1500);
        assertEquals(7, f.next(1_000_000, 7));
        assertEquals(2, f.next(20, 7));
    }
    @Test
    void aFastBatchMayGrowUpToFourfoldEvenWhereTheEstimatorOffersLess() {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        f.next(200, FileLimit.NO_CAP);
        f.completed(20, 400); // 2 000 / 400 = 5: four times the rows fit, and five would
        assertEquals(4, f.next(40, FileLimit.NO_CAP), "fourfold over an estimator that offers 2 files");
        f.completed(80, 800); // 2.5-fold fits
        assertEquals(10, f.next(40, FileLimit.NO_CAP));
        f.completed(200, 1000); // exactly twofold: the estimator's own probe covers it, no floor
        assertEquals(2, f.next(40, FileLimit.NO_CAP));
    }

    @Test
    void noBatchGrowsBeyondFourfoldHoweverFastItWas() {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        f.next(200, FileLimit.NO_CAP);
        f.completed(20, 5);
        assertEquals(4, f.next(1_000_000, FileLimit.NO_CAP));
    }

    @Test
    void aBatchThatTookOverHalfTheTargetAllowsTwofoldAsBefore() {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        f.next(200, FileLimit.NO_CAP);
        f.completed(20, 3000); // a cold first batch, over the target
        assertEquals(2, f.next(1_000_000, FileLimit.NO_CAP));
        assertEquals(1, f.next(20, FileLimit.NO_CAP), "no floor under the estimator from a slow batch");
    }

    @Test
    void aReplayedBatchSizesTheSecondBatchOnceTheFirstGaveTheRowsPerFile() {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        assertEquals(960 * 2000 / 1600.0, f.replayed(960, 1600));
        assertEquals(1, f.next(1_000_000, FileLimit.NO_CAP), "rows per file unknown: one file");
        f.completed(0, 300); // no file was waiting: the replay still waits for a batch with rows
        assertEquals(1, f.next(1_000_000, FileLimit.NO_CAP));
        f.completed(20, 1500);
        assertEquals(60, f.next(200, FileLimit.NO_CAP), "1 200 rows, what the replay proved, over 20 per file");
        f.completed(1200, 2000);
        assertEquals(10, f.next(200, FileLimit.NO_CAP), "used once: then the estimator's rows again");
    }

    @Test
    void aReplayAfterTheRunReadABatchIsNotEvidence() {
        FileLimit f = afterAFirstFileOf(20);
        assertEquals(0.0, f.replayed(960, 1600));
        assertEquals(2, f.next(1_000_000, FileLimit.NO_CAP));
    }

    @Test
    void theRampNeverCrossesTheUsersCapOrThePerQueryRows() {
        FileLimit f = new FileLimit(2000, 300);
        f.replayed(960, 1600);
        f.next(1_000_000, 9);
        f.completed(20, 300);
        assertEquals(15, f.next(200, FileLimit.NO_CAP), "300 rows, the per-query ceiling");
        f.completed(300, 300);
        assertEquals(9, f.next(200, 9), "the user's maxFilesPerTrigger");
    }
}
