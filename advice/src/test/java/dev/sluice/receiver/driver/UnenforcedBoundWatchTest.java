package dev.sluice.receiver.driver;

import dev.sluice.rate.BatchSample;
import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnenforcedBoundWatchTest {

    /** One stream whose driver published 300/s; a new one per test. */
    private final DriverStream s = new DriverStream(1);
    private final UnenforcedBoundWatch w = new UnenforcedBoundWatch();
    private final Iterable<DriverStream> streams = Collections.singletonList(s);

    UnenforcedBoundWatchTest() {
        s.published(300);
    }

    private static BatchSample batch(long timeMs, long records) {
        return new BatchSample(timeMs, 1000, timeMs, -1, -1, new int[] {1}, new long[] {records});
    }

    @Test
    void fiveBatchesInARowOverTwiceTheBoundGiveOneWarning() {
        assertNull(w.submitted(batch(1000, 5000), streams), "no bound known at the previous submission yet");
        for (int i = 0; i < UnenforcedBoundWatch.BATCHES - 1; i++) {
            assertNull(w.submitted(batch(2000 + i * 1000, 5000 + i), streams), "batch " + i);
        }
        String warn = w.submitted(batch(9000, 4990), streams);
        assertTrue(warn != null && warn.startsWith("stream 1: the last 5 batches received 4990-5003 records each while "
                + "Sluice's bound allowed at most 300 per batch (300/s x 1000 ms)"), String.valueOf(warn));
        for (int i = 0; i < 10; i++) {
            assertNull(w.submitted(batch(10_000 + i * 1000, 5000), streams), "one warning per stream");
        }
    }

    @Test
    void anEnforcedStreamWithStartupSpikesAndBulkStoresIsNotReported() {
        w.submitted(batch(1000, 2500), streams);
        // a start-up spike, then a throttled bulk store that overshoots one batch and pays it back in the next
        long[] records = {2500, 2400, 300, 800, 100, 300, 800, 700, 0, 300, 650, 650, 650, 650, 300};
        for (int i = 0; i < records.length; i++) {
            assertNull(w.submitted(batch(2000 + i * 1000, records[i]), streams), "batch " + i);
        }
        // a bound that was higher at the start of the interval counts: records fit the larger of the two
        s.published(3000);
        w.submitted(batch(30_000, 300), streams);
        s.published(300);
        assertNull(w.submitted(batch(31_000, 5000), streams));
    }
}
