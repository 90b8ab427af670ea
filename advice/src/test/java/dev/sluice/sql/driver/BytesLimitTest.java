package dev.sluice.sql.driver;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file source's bytes rule ({@link FileLimit} in {@link FileLimit.Unit#BYTES}): rows per byte come from the bytes
 * the source reported it took, never from the limit (the source takes its first file whatever the limit, and less than
 * the limit when less is waiting).
 */
class BytesLimitTest {

    private static final long GB = 1L << 30;
    /** One file: 2 000 rows in 200 000 bytes (0.01 rows per byte). */
    private static final long FILE_BYTES = 200_000;
    private static final long FILE_ROWS = 2_000;

    private static FileLimit bytes() {
        return new FileLimit(2000, RowLimit.NO_CAP, FileLimit.Unit.BYTES);
    }

    @Test
    void theFirstBatchIsOneByteWhichTheSourceTurnsIntoExactlyItsFirstFile() {
        assertEquals(FileLimit.SAFE_START, bytes().nextUnits(1_000_000, GB));
        assertEquals(1, bytes().nextUnits(1_000_000, GB), "one byte, whatever the row limit or the user's cap");
    }

    @Test
    void aFirstFileFarLargerThanTheLimitDoesNotPinTheLimit() {
        FileLimit f = bytes();
        f.nextUnits(200, GB); // 1 byte
        f.taken(FILE_BYTES); // the source took its first file anyway
        f.completed(FILE_ROWS, 500); // 4 times the rows fit 2 s
        assertEquals(0.01, f.rowsPerUnit(), 1e-12, "rows over the bytes taken, not over the 1-byte limit");
        assertEquals(4 * FILE_BYTES, f.nextUnits(200, GB), "the ramp: four files' bytes");
    }

    @Test
    void growthFollowsWhatRealBatchesTook() {
        FileLimit f = bytes();
        f.nextUnits(200, GB);
        f.taken(FILE_BYTES);
        f.completed(FILE_ROWS, 1500);
        assertEquals(2 * FILE_BYTES, f.nextUnits(1_000_000, GB), "at most twice the largest batch read");
        f.taken(2 * FILE_BYTES);
        f.completed(2 * FILE_ROWS, 1500);
        assertEquals(4 * FILE_BYTES, f.nextUnits(1_000_000, GB));
        f.taken(4 * FILE_BYTES);
        f.completed(4 * FILE_ROWS, 1500);
        assertEquals(6 * FILE_BYTES, f.nextUnits(12_000, GB), "the row limit, once below twice the largest batch");
    }

    @Test
    void aShortBatchShowsTheTrueRowsPerByteSoTheNextBurstIsNotAdmittedAtOnce() {
        FileLimit f = bytes();
        f.nextUnits(200, GB);
        f.taken(400_000); // a sparse first file: 0.005 rows per byte
        f.completed(2_000, 1900);
        assertEquals(800_000, f.nextUnits(1_000_000, GB));
        f.taken(100_000); // a short batch: only one small, denser file was waiting (0.01 rows per byte)
        f.completed(1_000, 300);
        // The limit read as what was admitted would say 1 000 / 800 000 = 0.00125 rows per byte and keep 0.005: the
        // 4 000 rows the evidence allows would become 800 000 bytes, 8 000 rows of the denser files that now arrive.
        assertEquals(0.01, f.rowsPerUnit(), 1e-12);
        assertEquals(400_000, f.nextUnits(4_000, GB), "4 000 rows at 0.01 rows per byte");
    }

    @Test
    void aBatchWhoseBytesWereNotReportedTeachesNoRatio() {
        FileLimit f = bytes();
        f.nextUnits(200, GB);
        f.completed(FILE_ROWS, 500); // no report: the 1-byte limit says nothing about the file
        assertTrue(Double.isNaN(f.rowsPerUnit()));
        assertEquals(1, f.nextUnits(1_000_000, GB), "still the safe start");
    }

    @Test
    void theUsersMaxBytesPerTriggerIsNeverExceeded() {
        FileLimit f = bytes();
        assertEquals(1, f.nextUnits(1_000_000, 150_000));
        f.taken(FILE_BYTES); // the first file, larger than the cap: the source's own rule, as without Sluice
        f.completed(FILE_ROWS, 100);
        for (int b = 0; b < 10; b++) {
            assertEquals(150_000, f.nextUnits(1_000_000, 150_000), "batch " + b);
            f.taken(FILE_BYTES);
            f.completed(FILE_ROWS, 100);
        }
    }

    @Test
    void aReplayedBatchSizesTheSecondBatchInBytes() {
        FileLimit f = bytes();
        f.replayed(20_000, 1300); // 30 769 rows fit 2 s
        assertEquals(1, f.nextUnits(1_000_000, GB), "rows per byte unknown: the first file");
        f.taken(FILE_BYTES);
        f.completed(FILE_ROWS, 900);
        assertEquals(3_076_923, f.nextUnits(200, GB), "30 769.2 rows at 0.01 rows per byte");
    }

    @Test
    void theFilesRuleStillBoundsByTheLimit() {
        FileLimit f = new FileLimit(2000, RowLimit.NO_CAP);
        f.nextUnits(200, FileLimit.NO_CAP);
        f.completed(20, 1500); // no report needed: at most one file was taken
        assertEquals(20.0, f.rowsPerUnit());
    }
}
