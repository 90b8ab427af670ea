package dev.sluice.receiver.executor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a stream applies the memory guard's factor to its bound (the factor itself: GuardPolicyTest). */
class ManagedStreamGuardTest {

    @Test
    void guardFactorScalesTheLearnedBoundAndImposesOneWhenThereIsNone() {
        VirtualClock clock = new VirtualClock();
        RuntimeFixture.install(clock, "sluice.strategy", "drop");
        ManagedStream bounded = StreamGates.of(0);
        bounded.learnBound(1000);
        bounded.applyGuard(0.25);
        assertEquals(250.0, bounded.effectiveBound(), 1e-9);
        bounded.applyGuard(1.0);
        assertEquals(1000.0, bounded.effectiveBound(), 1e-9);

        ManagedStream unbounded = StreamGates.of(1);
        for (int i = 0; i < 5000; i++) {
            unbounded.gate().admitOne("x"); // an offered rate to derive a bound from
            if (i % 100 == 0) {
                clock.advanceMillis(5); // 20 000 records/s of virtual time
            }
        }
        unbounded.applyGuard(0.5);
        assertTrue(!Double.isInfinite(unbounded.effectiveBound()), "the guard imposes a bound");
        unbounded.applyGuard(1.0);
        assertTrue(Double.isInfinite(unbounded.effectiveBound()), "and lifts it when relieved");
    }
}
