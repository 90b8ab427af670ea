package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BoundDemandPolicyTest {

    @Test
    void oneIntervalOfTheBound() {
        BoundDemandPolicy p = new BoundDemandPolicy(() -> 5_000, 1_000, 200);
        assertEquals(1_000, p.allowance());
        assertEquals(1_000, p.allowance());
    }

    @Test
    void fractionsOfARecordAreCarriedSoLowBoundsAreMetOnAverage() {
        BoundDemandPolicy p = new BoundDemandPolicy(() -> 2, 1_000, 200); // 0.4 record per interval
        long total = 0;
        for (int i = 0; i < 50; i++) { // 10 s
            long a = p.allowance();
            assertTrue(a == 0 || a == 1, "allowance " + a);
            total += a;
        }
        assertEquals(20, total);
    }

    @Test
    void followsBoundChangesAtTheNextInterval() {
        AtomicLong bound = new AtomicLong(1_000);
        BoundDemandPolicy p = new BoundDemandPolicy(bound::get, 1_000, 100);
        assertEquals(100, p.allowance());
        bound.set(30_000);
        assertEquals(3_000, p.allowance());
        bound.set(10);
        assertEquals(1, p.allowance());
    }

    @Test
    void unlimitedMeansTheFallbackRateNeverAnUnboundedRequest() {
        BoundDemandPolicy p = new BoundDemandPolicy(() -> Long.MAX_VALUE, 750, 200);
        assertEquals(750, p.effectiveBound());
        assertEquals(150, p.allowance());
    }

    @Test
    void zeroOrNegativeBoundRequestsNothing() {
        assertEquals(0, new BoundDemandPolicy(() -> 0, 1_000, 200).allowance());
        assertEquals(0, new BoundDemandPolicy(() -> -5, 1_000, 200).allowance());
    }

    @Test
    void hugeBoundsAreCappedNotOverflowed() {
        BoundDemandPolicy p = new BoundDemandPolicy(() -> Long.MAX_VALUE - 1, 1_000, 200);
        assertEquals(BoundDemandPolicy.MAX_ALLOWANCE, p.allowance());
        BoundDemandPolicy q = new BoundDemandPolicy(() -> 1_000_000_000_000L, 1_000, 1_000);
        assertEquals(BoundDemandPolicy.MAX_ALLOWANCE, q.allowance());
    }

    @Test
    void rejectsAnUnboundedFallback() {
        assertThrows(IllegalArgumentException.class, () -> new BoundDemandPolicy(() -> 1, Long.MAX_VALUE, 200));
        assertThrows(IllegalArgumentException.class, () -> new BoundDemandPolicy(() -> 1, 0, 200));
        assertThrows(IllegalArgumentException.class, () -> new BoundDemandPolicy(() -> 1, 10, 0));
    }
}
