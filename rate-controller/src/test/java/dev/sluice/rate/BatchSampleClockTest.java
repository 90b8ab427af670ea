package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** BatchSample's conversion of Spark's wall-clock stamps onto the batch clock. */
class BatchSampleClockTest {

    private static final long WALL = 1_793_000_000_000L;

    @Test
    void wallClockStampsAreCarriedOverAsDurationsSinceSubmission() {
        BatchSample b = new BatchSample(3000, 1000, WALL + 7, WALL + 20, WALL + 520, new int[] {0}, new long[] {1});
        assertEquals(3000, b.submittedOnBatchClock());
        assertEquals(3013, b.onBatchClock(b.processingStartMs));
        assertEquals(3513, b.processingEndOnBatchClock());
        assertEquals(-1, b.onBatchClock(-1));
        assertEquals(500, b.processingDelayMs());
        assertEquals(13, b.schedulingDelayMs());
    }
}
