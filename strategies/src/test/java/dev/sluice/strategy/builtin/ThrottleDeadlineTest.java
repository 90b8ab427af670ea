package dev.sluice.strategy.builtin;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throttle waits have a deadline and end when the stream stops; what they still needed is stored, not lost, and counted.
 * Virtual time throughout: nothing sleeps.
 */
class ThrottleDeadlineTest {

    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;
    static final long BLOCK_INTERVAL = 200 * MS;

    /** At the guard floor (5 records/s) a 10 000-record bulk store would wait ~33 min; the deadline ends it at 30 s. */
    @Test
    void aBulkWaitEndsAtTheDeadlineAndStoresEverythingCounted() throws InterruptedException {
        FakeClock clock = new FakeClock();
        RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);
        budget.setBound(5);
        budget.setMaxWaitNanos(30 * SECOND);
        AtomicInteger expiries = new AtomicInteger();
        budget.onExpiry(expiries::incrementAndGet);
        long start = clock.now();

        ChunkSelection chunk = ChunkSelection.of(new Object[10_000]);
        new ThrottleStrategy().admitBulk(chunk, budget);

        long waited = clock.now() - start;
        assertEquals(30 * SECOND, waited, "the wait lasts exactly the deadline (no slice sleeps past it)");
        assertEquals(10_000, chunk.keptCount(), "throttle keeps every record, deadline or not");
        assertEquals(1, budget.expiredWaits());
        assertEquals(1, expiries.get());
        // Paid for: the burst (1) plus 5/s over 30 s; the rest goes over the bound, counted.
        long paid = 10_000 - budget.overduePermits();
        assertTrue(paid >= 150 && paid <= 152, "paid " + paid);
        assertEquals(0, budget.releasedPermits());
    }

    @Test
    void withoutADeadlineTheWaitLastsWhatTheBoundRequires() throws InterruptedException {
        FakeClock clock = new FakeClock();
        RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);
        budget.setBound(100);
        long waited = budget.acquire(1_020); // burst 20, then 1 000 at 100/s
        assertTrue(waited >= 10 * SECOND - 10 * MS && waited <= 10 * SECOND + 10 * MS, "waited " + waited);
        assertEquals(0, budget.expiredWaits());
        assertEquals(0, budget.overduePermits());
    }

    @Test
    void aWaitShorterThanTheDeadlineIsNotCut() throws InterruptedException {
        FakeClock clock = new FakeClock();
        RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);
        budget.setBound(100);
        budget.setMaxWaitNanos(30 * SECOND);
        budget.acquire(1_020);
        assertEquals(0, budget.expiredWaits());
        assertEquals(0, budget.overduePermits());
    }

    /** A receiver stopping while its storing thread waits (graceful stop): the wait ends within one slice. */
    @Test
    void closingTheBudgetEndsAWaitInAnotherThread() throws Exception {
        ManualClock clock = new ManualClock();
        RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);
        budget.setBound(5);
        AtomicLong kept = new AtomicLong(-1);
        Thread storer = new Thread(() -> {
            try {
                ChunkSelection chunk = ChunkSelection.of(new Object[10_000]);
                new ThrottleStrategy().admitBulk(chunk, budget);
                kept.set(chunk.keptCount());
            } catch (InterruptedException e) {
                kept.set(-2);
            }
        }, "storer");
        storer.start();
        clock.awaitSleeper(10_000);
        assertEquals(-1, kept.get(), "still waiting");
        budget.close();
        clock.advance(RateBudget.MAX_SLICE_NANOS); // one slice of virtual time
        storer.join(10_000);
        assertFalse(storer.isAlive(), "the wait did not end at the stop");
        assertEquals(10_000, kept.get(), "nothing lost at the stop");
        assertEquals(9_999, budget.releasedPermits(), "the burst (1) was paid, the rest released");
        assertEquals(0, budget.expiredWaits());
    }

    @Test
    void aClosedBudgetDoesNotStartWaiting() throws InterruptedException {
        FakeClock clock = new FakeClock();
        RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);
        budget.setBound(5);
        budget.close();
        assertEquals(0, budget.acquire(1_000));
        assertEquals(0, clock.sleeps.get());
        assertEquals(999, budget.releasedPermits());
    }
}
