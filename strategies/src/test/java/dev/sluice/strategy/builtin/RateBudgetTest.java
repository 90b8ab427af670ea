package dev.sluice.strategy.builtin;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateBudgetTest {

    static final long MS = 1_000_000L;
    static final long BLOCK_INTERVAL = 200 * MS;

    final FakeClock clock = new FakeClock();
    final RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL);

    @Test
    void unboundedGrantsEverythingAtOnce() throws InterruptedException {
        for (double none : new double[] {0, -5, Double.NaN, Double.POSITIVE_INFINITY}) {
            budget.setBound(none);
            assertFalse(budget.isBounded(), "bound " + none);
            assertEquals(Double.POSITIVE_INFINITY, budget.bound());
            assertEquals(Long.MAX_VALUE, budget.perInterval());
            assertEquals(1_000_000, budget.tryAcquire(1_000_000));
            assertEquals(0, budget.acquire(Integer.MAX_VALUE));
        }
        assertEquals(0, clock.sleeps.get());
    }

    @Test
    void burstIsOneBlockIntervalAtTheBound() {
        budget.setBound(1000); // 1 ms per record
        assertTrue(budget.isBounded());
        assertEquals(200, budget.perInterval());
        assertEquals(200, budget.tryAcquire(1000), "a fresh budget grants one block interval's worth");
        assertEquals(0, budget.tryAcquire(1));
        clock.advance(MS);
        assertEquals(1, budget.tryAcquire(5));
    }

    @Test
    void aBudgetContinuingAnotherGrantsNoFreshBurst() {
        budget.setBound(1000);
        assertEquals(200, budget.tryAcquire(1000), "the first incarnation's burst");
        clock.advance(50 * MS);
        assertEquals(50, budget.tryAcquire(1000), "then the bound");
        RateBudget restarted = new RateBudget(clock, BLOCK_INTERVAL);
        restarted.setBound(1000);
        restarted.continueFrom(budget);
        assertEquals(0, restarted.tryAcquire(1000), "a restart within the same burst is no fresh burst");
        clock.advance(10 * MS);
        assertEquals(10, restarted.tryAcquire(1000), "the bound goes on where it was");
        RateBudget fresh = new RateBudget(clock, BLOCK_INTERVAL);
        fresh.setBound(1000);
        fresh.continueFrom(new RateBudget(clock, BLOCK_INTERVAL));
        assertEquals(200, fresh.tryAcquire(1000), "continuing a budget that granted nothing keeps the burst");
    }

    @Test
    void aBoundBelowOneRecordPerIntervalStillAdmitsOne() {
        budget.setBound(0.5); // one record per 2 s, block interval 200 ms
        assertEquals(1, budget.perInterval());
        assertEquals(1, budget.tryAcquire(10));
        assertEquals(0, budget.tryAcquire(1));
        clock.advance(1999 * MS);
        assertEquals(0, budget.tryAcquire(1));
        clock.advance(MS);
        assertEquals(1, budget.tryAcquire(1));
    }

    @Test
    void acquireWaitsExactlyWhatTheBoundRequiresInShortSlices() throws InterruptedException {
        budget.setBound(1000);
        long waited = budget.acquire(1200); // 200 from the burst, 1000 more at 1 ms each
        assertEquals(1_000 * MS, waited);
        assertEquals(1_000 * MS, clock.sleptNanos.get());
        assertTrue(clock.longestSleep.get() <= RateBudget.MAX_SLICE_NANOS, "slices of at most 10 ms");
    }

    @Test
    void aThreadTakingOnePermitAtATimeWakesOncePerMinimumWaitNotPerRecord() throws InterruptedException {
        budget.setBound(10_000); // 100 us per record: 50 records per 5 ms minimum wait
        long total = 0;
        for (int i = 0; i < 12_000; i++) {
            total += budget.acquire(1);
        }
        // 2 000 records come from the burst, the other 10 000 take 1 s at the bound: the bound is unchanged...
        assertEquals(1_000 * MS, clock.sleptNanos.get(), 2 * RateBudget.MIN_WAIT_NANOS);
        assertEquals(clock.sleptNanos.get(), total);
        // ...but the thread slept ~200 times (once per 5 ms), not 10 000 times (once per record)
        long expected = 1_000 * MS / RateBudget.MIN_WAIT_NANOS;
        assertTrue(Math.abs(clock.sleeps.get() - expected) <= 2, "sleeps: " + clock.sleeps.get());
    }

    @Test
    void aLoweredBoundAppliesAtOnce() {
        budget.setBound(1000);
        assertEquals(200, budget.tryAcquire(200)); // the whole burst: tat is 200 ms ahead
        budget.setBound(100); // 10 ms per record from now on; burst 200 ms = 20 records
        assertEquals(20, budget.perInterval());
        assertEquals(0, budget.tryAcquire(1));
        long granted = 0;
        for (int ms = 1; ms <= 2000; ms++) { // ask every millisecond for 2 s
            clock.advance(MS);
            granted += budget.tryAcquire(100);
        }
        assertEquals(200, granted, "2 s at the new bound of 100/s, nothing more");
    }

    @Test
    void aRaisedBoundAppliesAtOnce() {
        budget.setBound(100);
        assertEquals(20, budget.tryAcquire(1000)); // burst used: 200 ms of debt at 10 ms each
        budget.setBound(1000); // the 20 permits owed now cost 20 ms: 180 ms of burst free at 1 ms each
        assertEquals(180, budget.tryAcquire(1000));
    }

    @Test
    void aDebtLeftByALowBoundDoesNotHoldBackAHigherBoundAfterAnUnboundedSpell() {
        budget.setBound(1); // burst of one record: the next permit is 1 s away
        assertEquals(1, budget.tryAcquire(1));
        budget.setBound(0);
        budget.setBound(1_000_000); // the 1-permit debt now costs 1 µs
        assertEquals(199_999, budget.tryAcquire(1_000_000));
    }

    @Test
    void aRaisedBoundReleasesAWaitingThreadWithinOneSlice() throws InterruptedException {
        budget.setBound(1); // a bulk of 1000 would take ~1000 s
        AtomicLong raisedAt = new AtomicLong();
        clock.onSleep = n -> {
            if (n == 5) {
                budget.setBound(1_000_000);
                raisedAt.set(clock.now());
            }
        };
        long waited = budget.acquire(1000);
        assertTrue(raisedAt.get() > 0);
        assertTrue(clock.now() - raisedAt.get() <= RateBudget.MAX_SLICE_NANOS,
                "released within one slice, took " + (clock.now() - raisedAt.get()) + " ns");
        assertTrue(waited <= 6 * RateBudget.MAX_SLICE_NANOS, "waited " + waited);
    }

    @Test
    void aRaisedBoundReleasesAThreadBlockedInAnotherThread() throws Exception {
        ManualClock manual = new ManualClock();
        RateBudget slow = new RateBudget(manual, BLOCK_INTERVAL);
        slow.setBound(1);
        assertEquals(1, slow.tryAcquire(1)); // the burst is gone; the next permit is 1 s away
        AtomicInteger done = new AtomicInteger();
        Thread waiter = new Thread(() -> {
            try {
                slow.acquire(1);
                done.set(1);
            } catch (InterruptedException e) {
                done.set(-1);
            }
        }, "waiter");
        waiter.start();
        long slice = manual.awaitSleeper(10_000);
        assertTrue(slice <= RateBudget.MAX_SLICE_NANOS, "slice " + slice);
        assertEquals(0, done.get());
        slow.setBound(1_000);
        manual.advance(RateBudget.MAX_SLICE_NANOS); // one slice of virtual time
        waiter.join(10_000);
        assertFalse(waiter.isAlive());
        assertEquals(1, done.get());
    }

    @Test
    void removingTheBoundReleasesAWaiter() throws InterruptedException {
        budget.setBound(1);
        clock.onSleep = n -> budget.setBound(0);
        assertTrue(budget.acquire(1000) <= RateBudget.MAX_SLICE_NANOS);
    }

    @Test
    void interruptedWaitThrowsAndCountsTheWait() {
        StreamCounters counters = new StreamCounters();
        budget.attach(counters);
        budget.setBound(10);
        budget.tryAcquire(2);
        clock.onSleep = n -> Thread.currentThread().interrupt();
        try {
            budget.acquire(1);
            throw new AssertionError("expected InterruptedException");
        } catch (InterruptedException expected) {
            assertTrue(counters.throttledNanos() > 0);
        }
    }

    @Test
    void offeredRateFollowsTheOffers() {
        assertEquals(0, budget.offeredRate());
        offer(10_000, 200_000); // 5000/s for 2 s
        assertEquals(5000, budget.offeredRate(), 100);
        offer(25_000, 20_000); // 50 000/s for 0.5 s: the window is one block interval (200 ms)
        assertEquals(50_000, budget.offeredRate(), 1000);
        clock.advance(10_000 * MS); // idle, then 20 000/s: the stale window is ignored after 1/8 of a window
        offer(600, 50_000);
        assertEquals(20_000, budget.offeredRate(), 1000);
    }

    /** The store path must not pay a clock read per record: unbounded, only every 64th offer may look at the clock. */
    @Test
    void noteOfferedReadsTheClockOncePer64Offers() {
        long[] reads = {0};
        RateBudget b = new RateBudget(new Clock() {
            @Override
            public long nanoTime() {
                reads[0]++;
                return reads[0] * 1_000L;
            }

            @Override
            public void sleepNanos(long nanos) {
            }
        }, BLOCK_INTERVAL);
        long before = reads[0];
        for (int i = 0; i < 6400; i++) {
            b.noteOffered(1);
            assertEquals(1, b.tryAcquire(1), "unbounded: granted without a clock read");
        }
        assertEquals(6400 / RateBudget.OFFERS_PER_CLOCK_READ, reads[0] - before);
    }

    private void offer(int records, long gapNanos) {
        for (int i = 0; i < records; i++) {
            clock.advance(gapNanos);
            budget.noteOffered(1);
        }
    }

    /**
     * Property: at a constant bound B, in every window [t, t + w) at most {@code B × w + perInterval} permits are granted,
     * whatever the pattern of requests. Checked on random arrivals and sizes, windows of one block interval starting at
     * every grant.
     */
    @Test
    void grantsInAnyWindowStayWithinBoundTimesWindowPlusBurst() {
        SplittableRandom random = new SplittableRandom(42);
        for (double bound : new double[] {3, 1000, 33_333, 2_500_000}) {
            FakeClock c = new FakeClock();
            RateBudget b = new RateBudget(c, BLOCK_INTERVAL);
            b.setBound(bound);
            long start = c.now();
            List<long[]> grants = new ArrayList<>();
            long total = 0;
            int maxWant = (int) Math.max(2, bound * 0.4); // up to two block intervals' worth at once
            double meanGapNanos = (1 + maxWant) / 2.0 / (5 * bound) * 1e9; // offered ~5× the bound
            for (int i = 0; i < 20_000; i++) {
                c.advance((long) (random.nextDouble() * 2 * meanGapNanos));
                int want = 1 + random.nextInt(maxWant);
                int got = b.tryAcquire(want);
                if (got > 0) {
                    grants.add(new long[] {c.now(), got});
                    total += got;
                }
            }
            double allowance = bound * BLOCK_INTERVAL / 1e9 + b.perInterval();
            int j = 0;
            long inWindow = 0;
            for (int i = 0; i < grants.size(); i++) { // sliding window [t_i, t_i + interval)
                while (j < grants.size() && grants.get(j)[0] < grants.get(i)[0] + BLOCK_INTERVAL) {
                    inWindow += grants.get(j++)[1];
                }
                assertTrue(inWindow <= allowance, "bound " + bound + ": " + inWindow + " > " + allowance);
                inWindow -= grants.get(i)[1];
            }
            double elapsed = (c.now() - start) / 1e9;
            assertTrue(total <= bound * elapsed + b.perInterval());
            // Lower side: a burst of one record (bound 3/s) wastes the time between a permit's due date and the next
            // random arrival, about 15% here; larger bursts absorb it.
            double floor = b.perInterval() == 1 ? 0.8 : 0.95;
            assertTrue(total >= floor * bound * elapsed - b.perInterval(), "bound " + bound + " total " + total
                    + " over " + elapsed + " s: the budget must also grant what the bound allows");
        }
    }

    // ---- single permits against the coarse now --------------------------------------------------------------------

    @Test
    void fastPermitsAreAtMostASixteenthOfTheBurstAnd64() {
        budget.setBound(0);
        assertEquals(0, budget.fastPermits());
        budget.setBound(100_000); // burst 20 000
        assertEquals(64, budget.fastPermits());
        budget.setBound(1000); // burst 200
        assertEquals(12, budget.fastPermits());
        budget.setBound(50); // burst 10: no fast path, the exact GCRA
        assertEquals(0, budget.fastPermits());
        budget.setBound(2e9); // T = 0.5 ns, charged 1 ns per single permit
        assertEquals(64, budget.fastPermits());
    }

    /**
     * Well below the bound and with nothing else reading the clock, single grants read it once per K (the fast path's
     * cap; the precise grant takes one of the K), not once per record.
     */
    @Test
    void singleGrantsBelowTheBoundReadTheClockOncePerFastPermits() {
        budget.setBound(100_000); // K = 64
        long before = clock.reads.get();
        for (int i = 0; i < 64_000; i++) {
            clock.advance(MS); // 1000/s, 1% of the bound
            assertEquals(1, budget.tryAcquire(1));
        }
        // The first 64 are charged to the construction time; then a precise grant and 63 fast ones, over and over.
        assertEquals((64_000 - 64 + 63) / 64, clock.reads.get() - before);
    }

    /**
     * The worst case of the class comment, exactly: the coarse now is 10 s old when a surge arrives, so the first K
     * single grants are charged to that old time, then the precise path grants a full burst from the real now. All at
     * one instant: {@code perInterval() + K}, not a permit more; with no fast path (small burst), {@code perInterval()}.
     */
    @Test
    void aStaleCoarseNowGrantsAtMostFastPermitsBeyondTheBurst() {
        for (double bound : new double[] {100_000, 1000, 50}) {
            FakeClock c = new FakeClock();
            RateBudget b = new RateBudget(c, BLOCK_INTERVAL); // the coarse now is the construction time
            b.setBound(bound);
            c.advance(10_000 * MS);
            long granted = 0;
            while (b.tryAcquire(1) == 1) {
                granted++;
            }
            assertEquals(b.perInterval() + Math.min(64, b.perInterval() / 16), granted, "bound " + bound);
            c.advance(MS);
            assertEquals((long) (bound / 1000), drain(b), "then 1 ms at the bound, bound " + bound);
        }
    }

    private static long drain(RateBudget b) {
        long granted = 0;
        while (b.tryAcquire(1) == 1) {
            granted++;
        }
        return granted;
    }

    /**
     * Property: at a constant bound B, in every window [t, t + w) at most {@code B × w + perInterval + K} permits are
     * granted ({@code K = fastPermits()}), whatever the pattern: idle spells (a stale coarse now), trickles well below
     * the bound (the fast path), surges above it, single and bulk requests. Windows of 1 ms, one block interval and 1 s
     * starting at every grant. Single-threaded, so one coarse reading predates any window.
     */
    @Test
    void grantsInAnyWindowStayWithinBoundTimesWindowPlusBurstPlusFastPermits() {
        SplittableRandom random = new SplittableRandom(7);
        for (double bound : new double[] {3, 50, 1000, 33_333, 2_500_000}) {
            FakeClock c = new FakeClock();
            RateBudget b = new RateBudget(c, BLOCK_INTERVAL);
            b.setBound(bound);
            List<long[]> grants = new ArrayList<>();
            long requests = 0;
            long readsBefore = c.reads.get();
            for (int phase = 0; phase < 60; phase++) {
                int kind = random.nextInt(3);
                if (kind == 0) {
                    c.advance((long) (random.nextDouble() * 2e9)); // idle up to 2 s
                    continue;
                }
                double rate = kind == 1 ? bound * (0.1 + 0.8 * random.nextDouble()) : bound * 5;
                int records = (int) Math.max(1, Math.min(20_000, rate * 0.3));
                boolean bulk = random.nextInt(4) == 0;
                for (int i = 0; i < records; i++) {
                    c.advance((long) (random.nextDouble() * 2e9 / rate));
                    int want = bulk ? 1 + random.nextInt((int) Math.max(1, Math.min(1000, bound * 0.1))) : 1;
                    int got = b.tryAcquire(want);
                    requests++;
                    if (got > 0) {
                        grants.add(new long[] {c.now(), got});
                    }
                }
            }
            long k = Math.min(64, b.perInterval() / 16); // the documented K, not the budget's own word for it
            assertEquals(k, b.fastPermits());
            double extra = b.perInterval() + k;
            for (long w : new long[] {MS, BLOCK_INTERVAL, 1000 * MS}) {
                int j = 0;
                long inWindow = 0;
                for (int i = 0; i < grants.size(); i++) {
                    while (j < grants.size() && grants.get(j)[0] < grants.get(i)[0] + w) {
                        inWindow += grants.get(j++)[1];
                    }
                    double allowance = bound * w / 1e9 + extra;
                    assertTrue(inWindow <= allowance, "bound " + bound + ", window " + w / MS + " ms: " + inWindow
                            + " > " + allowance);
                    inWindow -= grants.get(i)[1];
                }
            }
            if (b.fastPermits() > 0) {
                assertTrue(c.reads.get() - readsBefore < requests, "bound " + bound + ": the fast path was taken");
            }
        }
    }
}
