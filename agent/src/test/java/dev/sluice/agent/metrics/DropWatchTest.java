package dev.sluice.agent.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropWatchTest {

    @Test
    void warnsWhenAWindowDropsMoreThanTheShareAndThenAtMostOnceEveryFiveMinutes() {
        DropWatch w = new DropWatch(0.5);
        assertNull(w.windowClosed(0, 3, "drop", 1_000, 0, 300), "first sight only opens the window");
        assertTrue(Double.isNaN(w.lastShare(3)));
        assertNull(w.windowClosed(10_000, 3, "drop", 2_000, 500, 300), "exactly 50 % is not more than 50 %");
        assertEquals(0.5, w.lastShare(3), 1e-9);
        String warn = w.windowClosed(20_000, 3, "drop", 3_000, 1_301, 300);
        assertTrue(warn != null && warn.contains("stream 3 [drop] dropped 801 of 1000 offered records (80.1 %) over "
                + "the last 10 s") && warn.contains("sluice.metrics.dropWarnShare=0.5") && warn.contains("300/s"),
                String.valueOf(warn));
        assertNull(w.windowClosed(30_000, 3, "drop", 4_000, 2_201, 300), "rate-limited");
        assertNull(w.windowClosed(20_000 + DropWatch.WARN_EVERY_MS - 1, 3, "drop", 5_000, 3_101, 300));
        String again = w.windowClosed(20_000 + DropWatch.WARN_EVERY_MS, 3, "drop", 6_000, 4_001, 300);
        assertTrue(again != null && again.contains("(2 more such windows since the last warning)"), again);
    }

    @Test
    void aWindowThatOfferedNothingHasNoShareAndOneNeverWarns() {
        DropWatch off = new DropWatch(1.0);
        off.windowClosed(0, 1, "drop", 0, 0, -1);
        assertNull(off.windowClosed(10_000, 1, "drop", 0, 0, -1));
        assertTrue(Double.isNaN(off.lastShare(1)));
        assertNull(off.windowClosed(20_000, 1, "drop", 100, 100, -1), "share 1 never exceeds 1");
        assertEquals(1.0, off.lastShare(1), 1e-9);
    }

    @Test
    void noBoundWatchWarnsOnceAfterTwoMinutesOfRecordsWithoutABound() {
        NoBoundWatch w = new NoBoundWatch();
        assertNull(w.observe(0, 2, 0, false), "nothing stored yet");
        assertNull(w.observe(1_000, 2, 10, false));
        assertNull(w.observe(1_000 + NoBoundWatch.AFTER_MS - 1, 2, 10, false));
        String warn = w.observe(1_000 + NoBoundWatch.AFTER_MS, 2, 10, false);
        assertTrue(warn != null && warn.startsWith("stream 2 has stored records for 120 s without a bound"), warn);
        assertNull(w.observe(5 * NoBoundWatch.AFTER_MS, 2, 10, false), "once per stream");
        assertNull(w.observe(0, 3, 10, true));
        assertNull(w.observe(NoBoundWatch.AFTER_MS * 2, 3, 10, true), "a stream with a bound is fine");
    }
}
