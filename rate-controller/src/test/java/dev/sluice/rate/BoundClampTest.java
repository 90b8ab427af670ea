package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundClampTest {
    @Test
    void clampsToMinAndMaxAndRounds() {
        BoundClamp clamp = new BoundClamp(100, 5000);
        assertEquals(100, clamp.toBound(20));
        assertEquals(100, clamp.toBound(-3));
        assertEquals(5000, clamp.toBound(1e9));
        assertEquals(1235, clamp.toBound(1234.5));
        assertEquals(1234, clamp.toBound(1234.4));
    }

    @Test
    void neverBelowOneEvenWithMinZero() {
        BoundClamp clamp = new BoundClamp(0, Double.POSITIVE_INFINITY);
        assertEquals(1, clamp.toBound(0));
        assertEquals(1, clamp.toBound(0.2));
        assertEquals(Long.MAX_VALUE, clamp.toBound(Double.POSITIVE_INFINITY));
    }

    @Test
    void noEstimateIsNotABound() {
        BoundClamp clamp = new BoundClamp(1, 10);
        assertTrue(Double.isNaN(clamp.clamp(Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> clamp.toBound(Double.NaN));
    }

    @Test
    void rejectsInconsistentLimits() {
        assertThrows(IllegalArgumentException.class, () -> new BoundClamp(10, 5));
        assertThrows(IllegalArgumentException.class, () -> new BoundClamp(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> new BoundClamp(Double.NaN, 5));
    }
}
