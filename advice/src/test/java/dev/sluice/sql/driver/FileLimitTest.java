package dev.sluice.sql.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rows to files: the safe start, the rows per file learnt from full batches, the user's cap. */
class FileLimitTest {

    /** A limit whose first batch (one file) read {@code rows}. */
    private static FileLimit afterAFirstFileOf(long rows) {
        FileLimit f = new FileLimit();
        f.next(200, FileLimit.NO_CAP);
        f.completed(rows);
        return f;
    }

    @Test
    void theFirstBatchIsOneFileWhateverTheRowLimit() {
        assertEquals(1, new FileLimit().next(1_000_000, FileLimit.NO_CAP));
        assertTrue(Double.isNaN(new FileLimit().rowsPerFile()));
    }

    @Test
    void afterAFullBatchTheRowLimitIsDividedByTheRowsPerFile() {
        FileLimit f = afterAFirstFileOf(20);
        assertEquals(2, f.next(1_000, FileLimit.NO_CAP), "at most twice the largest batch read");
        f.completed(40);
        assertEquals(4, f.next(1_000, FileLimit.NO_CAP));
        f.completed(80);
        assertEquals(6, f.next(120, FileLimit.NO_CAP), "the row limit, once below twice the largest batch");
        assertEquals(1, f.next(5, FileLimit.NO_CAP), "never 0");
    }

    @Test
    void aBatchWithFewerFilesThanAllowedDoesNotLowerTheRowsPerFile() {
        FileLimit f = afterAFirstFileOf(20);
        for (int files = 2; files <= 64; files *= 2) {
            assertEquals(files, f.next(2_000, FileLimit.NO_CAP));
            f.completed(files * 20L);
        }
        assertEquals(100, f.next(2_000, FileLimit.NO_CAP));
        f.completed(40); // caught up: 2 files of the 100 allowed were waiting
        assertEquals(20.0, f.rowsPerFile());
        assertEquals(100, f.next(2_000, FileLimit.NO_CAP), "an idle stretch does not open the gate");
    }

    @Test
    void largerFilesRaiseTheRowsPerFile() {
        FileLimit f = afterAFirstFileOf(20);
        f.next(2_000, FileLimit.NO_CAP); // 2 files
        f.completed(160); // full, 80 rows each
        assertEquals(80.0, f.rowsPerFile());
        assertEquals(4, f.next(2_000, FileLimit.NO_CAP));
    }

    @Test
    void aBatchThatReadNothingTeachesNothing() {
        FileLimit f = afterAFirstFileOf(0);
        assertEquals(1, f.next(1_000, FileLimit.NO_CAP));
    }

    @Test
    void theUsersMaxFilesPerTriggerIsTheCeiling() {
        FileLimit f = new FileLimit();
        assertEquals(1, f.next(200, 7));
        f.completed(10);
        f.next(1_000_000, 7);
        f.completed(20);
        f.next(1_000_000, 7);
        f.completed(40);
        assertEquals(7, f.next(1_000_000, 7));
        assertEquals(2, f.next(20, 7));
    }
}
