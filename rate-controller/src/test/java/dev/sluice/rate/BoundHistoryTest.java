package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BoundHistoryTest {
    @Test
    void unboundedBeforeAnyBound() {
        BoundHistory h = new BoundHistory();
        assertEquals(-1, h.latest());
        assertEquals(Double.POSITIVE_INFINITY, h.averageOver(0, 1000));
    }

    @Test
    void timeWeightedMeanOfTheBoundsInForce() {
        BoundHistory h = new BoundHistory();
        h.published(0, 1000);
        h.published(1500, 3000);
        assertEquals(1000, h.averageOver(500, 1500), 1e-9);
        assertEquals(2000, h.averageOver(1000, 2000), 1e-9);
        assertEquals(3000, h.averageOver(2000, 3000), 1e-9);
    }

    @Test
    void partlyUnboundedIntervalCountsAsUnbounded() {
        BoundHistory h = new BoundHistory();
        h.published(500, 1000);
        assertEquals(Double.POSITIVE_INFINITY, h.averageOver(0, 1000));
    }
}
