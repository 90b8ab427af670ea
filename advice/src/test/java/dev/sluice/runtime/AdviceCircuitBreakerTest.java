package dev.sluice.runtime;

import dev.sluice.receiver.executor.BoundHooks;
import dev.sluice.receiver.executor.ReceiverHooks;
import dev.sluice.receiver.executor.RuntimeFixture;
import dev.sluice.receiver.executor.StreamGates;
import dev.sluice.receiver.executor.TestReceiver;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hook that keeps failing turns itself into a pass-through after sluice.advice.maxErrors failures. */
class AdviceCircuitBreakerTest {

    /** A receiver whose stream id cannot be read: every hook that needs its stream fails. */
    static final class BrokenReceiver extends TestReceiver {
        private static final long serialVersionUID = 1L;
        int failures;

        BrokenReceiver() {
            super(0);
        }

        @Override
        public int streamId() {
            failures++;
            throw new IllegalStateException("broken stream id");
        }
    }

    @BeforeEach
    void fresh() {
        RuntimeFixture.install("sluice.strategy", "drop", AdviceErrors.MAX_ERRORS_KEY, "5");
    }

    @Test
    void aPersistentFailureCostsMaxErrorsThrowablesThenNone() {
        BrokenReceiver receiver = new BrokenReceiver();
        for (int i = 0; i < 1000; i++) {
            assertFalse(ReceiverHooks.discardSingle(receiver, "x"), "the record is stored, as unadvised");
        }
        assertEquals(5, receiver.failures, "after 5 failures the hook no longer reaches the failing code");
        assertEquals(5, AdviceErrors.count(AdviceErrors.Hook.STORE_SINGLE));
        assertTrue(AdviceErrors.bypassed(AdviceErrors.Hook.STORE_SINGLE));
        assertEquals(1, AdviceErrors.tripped(AdviceErrors.Hook.STORE_SINGLE), "the trip is counted");
        assertFalse(AdviceErrors.bypassed(AdviceErrors.Hook.STORE_ARRAY_BUFFER), "per hook: the others still work");
    }

    @Test
    void everyStoreHookTripsOnItsOwnAndPassesTheCallersArgumentsThrough() {
        BrokenReceiver receiver = new BrokenReceiver();
        ArrayBuffer<Object> buffer = new ArrayBuffer<Object>(1);
        buffer.$plus$eq("x");
        Iterator<Object> records = Arrays.<Object>asList(1, 2).iterator();
        ByteBuffer bytes = ByteBuffer.allocate(4);
        for (int i = 0; i < 100; i++) {
            assertSame(buffer, ReceiverHooks.gateArrayBuffer(receiver, buffer, false));
            assertSame(records, ReceiverHooks.gateJavaIterator(receiver, records, false));
            assertSame(records, ReceiverHooks.javaIteratorToStore(receiver, records));
            ReceiverHooks.throttleBytes(receiver, bytes, false);
        }
        assertEquals(15, receiver.failures, "5 for each of the three hooks");
        assertTrue(AdviceErrors.bypassed(AdviceErrors.Hook.STORE_ARRAY_BUFFER));
        assertTrue(AdviceErrors.bypassed(AdviceErrors.Hook.STORE_ITERATOR));
        assertTrue(AdviceErrors.bypassed(AdviceErrors.Hook.STORE_BYTE_BUFFER));
        assertFalse(AdviceErrors.bypassed(AdviceErrors.Hook.STORE_SINGLE));
    }

    @Test
    void aHealthyStreamIsNotAffectedByAnotherHooksFailures() {
        BrokenReceiver broken = new BrokenReceiver();
        for (int i = 0; i < 10; i++) {
            ReceiverHooks.gateArrayBuffer(broken, new ArrayBuffer<Object>(1), false);
        }
        TestReceiver healthy = new TestReceiver(1);
        assertFalse(ReceiverHooks.discardSingle(healthy, "x"));
        assertEquals(1, StreamGates.of(1).counters().stored());
    }

    @Test
    void hooksCalledOncePerBatchOrTickKeepTryingAndCounting() {
        for (int i = 0; i < 50; i++) {
            AdviceErrors.record(AdviceErrors.Hook.UPDATE_RATE, new IllegalStateException("x"));
        }
        assertEquals(50, AdviceErrors.count(AdviceErrors.Hook.UPDATE_RATE));
        assertFalse(AdviceErrors.bypassed(AdviceErrors.Hook.UPDATE_RATE), "no breaker on a per-batch hook");
    }

    @Test
    void currentLimitHasABreakerToo() {
        for (int i = 0; i < 5; i++) {
            AdviceErrors.record(AdviceErrors.Hook.CURRENT_LIMIT, new IllegalStateException("x"));
        }
        assertTrue(AdviceErrors.bypassed(AdviceErrors.Hook.CURRENT_LIMIT));
        assertEquals(42L, BoundHooks.currentLimit(new Object(), 42L), "Spark's own limit, untouched");
    }
}
