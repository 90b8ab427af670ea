package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Virtual time: ticks are fed explicit nanoTime values. */
class IntervalCatchUpTest {

    private static final long MS = 1_000_000L;

    @Test
    void onTimeTicksAllRenew() {
        IntervalCatchUp c = new IntervalCatchUp(200, 5);
        for (int i = 0; i < 20; i++) {
            assertTrue(c.shouldRenew(i * 200 * MS));
        }
    }

    @Test
    void afterAStallAtMostFiveMissedIntervalsAreCaughtUp() {
        IntervalCatchUp c = new IntervalCatchUp(200, 5);
        assertTrue(c.shouldRenew(0));
        // A 10 s stall: the fixed-rate schedule then fires the 50 missed ticks back to back at t = 10 s.
        int renewed = 0;
        for (int i = 0; i < 50; i++) {
            if (c.shouldRenew(10_000 * MS)) {
                renewed++;
            }
        }
        assertEquals(6, renewed, "the ticks within 1 s of their schedule (5 intervals + the one due now)");
        assertTrue(c.shouldRenew(10_200 * MS), "back on schedule");
    }

    @Test
    void shortDelaysAreFullyCaughtUp() {
        IntervalCatchUp c = new IntervalCatchUp(200, 5);
        assertTrue(c.shouldRenew(0));
        // A 600 ms pause: three late ticks run at once, all renew, so the long-run rate stays at the bound.
        assertTrue(c.shouldRenew(800 * MS));
        assertTrue(c.shouldRenew(800 * MS));
        assertTrue(c.shouldRenew(800 * MS));
        assertTrue(c.shouldRenew(800 * MS));
    }
}
