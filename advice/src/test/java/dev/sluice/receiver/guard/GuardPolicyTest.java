package dev.sluice.receiver.guard;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GuardPolicyTest {

    private static final long MB = 1 << 20;

    private static MemoryReadings heap(double afterGcFraction) {
        return new MemoryReadings(0, 1000 * MB, (long) (afterGcFraction * 1000 * MB), -1, -1);
    }

    private static MemoryReadings storage(double usedFraction) {
        return new MemoryReadings(0, 1000 * MB, 100 * MB, (long) (usedFraction * 500 * MB), 500 * MB);
    }

    @Test
    void tightensAboveStressHoldsBetweenAndRelaxesOnlyBelowRelief() {
        GuardPolicy p = new GuardPolicy(0.85, 0.70, 0.85, 0.70, 0.05);
        assertEquals(1.0, p.tick(heap(0.5)));
        assertEquals(GuardLevel.OK, p.level());
        assertEquals(0.5, p.tick(heap(0.9)));
        assertEquals(GuardLevel.HIGH, p.level());
        assertEquals(0.25, p.tick(heap(0.9)));
        // Between relief and stress: hold (hysteresis), no relaxing.
        assertEquals(0.25, p.tick(heap(0.8)));
        assertEquals(GuardLevel.LOW, p.level());
        assertEquals(0.25, p.tick(heap(0.72)));
        // Below relief: relax gradually back to 1.
        double f = p.tick(heap(0.6));
        assertTrue(f > 0.25 && f < 1.0, "relaxing, got " + f);
        assertEquals(GuardLevel.OK, p.level());
        for (int i = 0; i < 20; i++) {
            f = p.tick(heap(0.6));
        }
        assertEquals(1.0, f);
    }

    @Test
    void neverBelowTheFloor() {
        GuardPolicy p = new GuardPolicy(0.85, 0.70, 0.85, 0.70, 0.05);
        for (int i = 0; i < 50; i++) {
            p.tick(heap(0.99));
        }
        assertEquals(0.05, p.factor());
    }

    @Test
    void storageMemoryIsASignalToo() {
        GuardPolicy p = new GuardPolicy(0.85, 0.70, 0.85, 0.70, 0.05);
        assertEquals(0.5, p.tick(storage(0.95)));
        assertEquals(0.5, p.tick(storage(0.8)));
        assertTrue(p.tick(storage(0.1)) > 0.5);
    }

    @Test
    void unknownReadingsNeverTighten() {
        GuardPolicy p = new GuardPolicy(0.85, 0.70, 0.85, 0.70, 0.05);
        assertEquals(1.0, p.tick(new MemoryReadings(-1, -1, -1, -1, -1)));
    }
}
