package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.strategy.builtin.StreamCounters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime behind the store advice, on the Scala 2.12 classpath (the advice module's compile classpath). */
class ReceiverHooksTest {

    @BeforeEach
    void fresh() {
        RuntimeFixture.install("sluice.strategy", "drop");
    }

    private static ArrayBuffer<Object> buffer(int n) {
        ArrayBuffer<Object> b = new ArrayBuffer<Object>(n);
        for (int i = 0; i < n; i++) {
            b.$plus$eq("r" + i);
        }
        return b;
    }

    @Test
    void unboundedStreamPassesTheCallersBufferThrough() {
        ArrayBuffer<Object> b = buffer(100);
        assertSame(b, ReceiverHooks.gateArrayBuffer(new TestReceiver(0), b, false));
        StreamCounters c = StreamGates.of(0).counters();
        assertEquals(100, c.offered());
        assertEquals(100, c.admitted());
        assertEquals(100, c.stored());
    }

    @Test
    void dropCutsIntoANewBufferInOrderAndLeavesTheCallersBufferAlone() {
        StreamGates.of(1).learnBound(50); // 200 ms block interval: burst of 10 records
        ArrayBuffer<Object> b = buffer(1000);
        ArrayBuffer<?> out = ReceiverHooks.gateArrayBuffer(new TestReceiver(1), b, false);
        assertEquals(1000, b.length(), "caller's buffer untouched");
        assertTrue(out != b);
        assertTrue(out.length() > 0 && out.length() < 1000, "cut to the budget, got " + out.length());
        int previous = -1;
        for (int i = 0; i < out.length(); i++) {
            int index = Integer.parseInt(((String) out.apply(i)).substring(1));
            assertTrue(index > previous, "order kept");
            previous = index;
        }
        StreamCounters c = StreamGates.of(1).counters();
        assertEquals(1000, c.offered(), "what this test offered");
        assertEquals(c.offered(), c.admitted() + c.dropped());
        assertEquals(out.length(), c.stored(), "what Spark gets");
        assertEquals(c.admitted(), c.stored());
    }

    @Test
    void scalaGateIteratorConsumesAndCountsDiscardedElements() {
        StreamGates.of(2).learnBound(50);
        List<Object> source = new ArrayList<Object>();
        for (int i = 0; i < 500; i++) {
            source.add(i);
        }
        scala.collection.Iterator<Object> scalaSource = scala.collection.JavaConverters.asScalaIterator(source.iterator());
        scala.collection.Iterator<?> gated = ReceiverHooks.gateScalaIterator(new TestReceiver(2), scalaSource, false);
        assertTrue(gated instanceof GateIterator);
        int kept = 0;
        while (gated.hasNext()) {
            gated.next();
            kept++;
        }
        assertFalse(scalaSource.hasNext(), "source fully consumed");
        StreamCounters c = StreamGates.of(2).counters();
        assertEquals(500, c.offered(), "what the source held");
        assertEquals(kept, c.stored(), "what the consumer (Spark) took");
        assertEquals(c.offered(), c.admitted() + c.dropped());
        assertEquals(c.admitted(), c.stored());
        assertTrue(kept < 500);
    }

    @Test
    void javaGateIteratorIsAJavaIteratorAndCounts() {
        Iterator<?> gated = ReceiverHooks.gateJavaIterator(new TestReceiver(3), Arrays.asList(1, 2, 3).iterator(), false);
        int n = 0;
        while (gated.hasNext()) {
            gated.next();
            n++;
        }
        assertEquals(3, n);
        assertEquals(3, StreamGates.of(3).counters().offered());
        assertEquals(3, StreamGates.of(3).counters().admitted());
        assertEquals(3, StreamGates.of(3).counters().stored());
    }

    @Test
    void singleStoreIsDiscardedOnlyBeyondTheBudget() {
        TestReceiver r = new TestReceiver(4);
        assertFalse(ReceiverHooks.discardSingle(r, "x"), "no bound: admitted");
        StreamGates.of(4).learnBound(5); // burst: max(1, 5 × 0.2) = 1
        int discarded = 0;
        for (int i = 0; i < 100; i++) {
            if (ReceiverHooks.discardSingle(r, "x")) {
                discarded++;
            }
        }
        assertTrue(discarded >= 95, "discarded " + discarded);
        StreamCounters c = StreamGates.of(4).counters();
        assertEquals(101, c.offered());
        assertEquals(discarded, c.dropped());
        assertEquals(101 - discarded, c.stored(), "the calls that went on to Spark");
        assertEquals(c.offered(), c.admitted() + c.dropped());
        assertEquals(c.admitted(), c.stored());
    }

    @Test
    void byteBufferIsWeighedNeverTouched() {
        assertEquals(1, ReceiverHooks.byteBufferWeight(10_000, 0));
        assertEquals(100, ReceiverHooks.byteBufferWeight(10_000, 100));
        assertEquals(1, ReceiverHooks.byteBufferWeight(10, 100));
        ByteBuffer bb = ByteBuffer.wrap(new byte[64]);
        bb.position(8);
        ReceiverHooks.throttleBytes(new TestReceiver(5), bb, false);
        assertEquals(8, bb.position());
        assertEquals(64, bb.limit());
        assertEquals(1, StreamGates.of(5).counters().offered());
        assertEquals(1, StreamGates.of(5).counters().admitted());
        assertEquals(1, StreamGates.of(5).counters().stored());
    }

    @Test
    void ownBlockGeneratorStreamsAreCountedNotLimited() {
        ManagedStream s = StreamGates.of(6);
        s.learnBound(5);
        s.markOwnBlockGenerator();
        assertTrue(Double.isInfinite(s.effectiveBound()), "Spark's limiter stays in charge");
        ArrayBuffer<Object> b = buffer(300);
        assertSame(b, ReceiverHooks.gateArrayBuffer(new TestReceiver(6), b, true));
        assertEquals(300, s.counters().offered());
        assertEquals(300, s.counters().admitted());
        assertEquals(300, s.counters().stored());
        assertEquals(0, s.counters().dropped());
    }

    /**
     * A buffer whose records cannot be read back (its {@code apply(int)} throws), so the rebuild of the kept records
     * fails. Built with Byte Buddy: javac refuses to subclass Scala's ArrayBuffer.
     */
    @SuppressWarnings("unchecked")
    private static ArrayBuffer<Object> unreadableBuffer(int n) throws Exception {
        Class<?> type = new net.bytebuddy.ByteBuddy().subclass(ArrayBuffer.class)
                .method(net.bytebuddy.matcher.ElementMatchers.named("apply")
                        .and(net.bytebuddy.matcher.ElementMatchers.takesArguments(int.class)))
                .intercept(net.bytebuddy.implementation.ExceptionMethod.throwing(IllegalStateException.class,
                        "unreadable record"))
                .make().load(ReceiverHooksTest.class.getClassLoader()).getLoaded();
        ArrayBuffer<Object> b = (ArrayBuffer<Object>) type.getConstructor(int.class).newInstance(n);
        for (int i = 0; i < n; i++) {
            b.$plus$eq("r" + i);
        }
        return b;
    }

    @Test
    void aFailedRebuildStoresTheCallersBufferAndCountsItAdmittedNotDropped() throws Exception {
        StreamGates.of(7).learnBound(50); // drop keeps 10 of 1000
        ArrayBuffer<Object> b = unreadableBuffer(1000);
        ArrayBuffer<?> out = ReceiverHooks.gateArrayBuffer(new TestReceiver(7), b, false);
        assertSame(b, out, "the rebuild failed: Spark gets the caller's buffer, as unadvised");
        StreamCounters c = StreamGates.of(7).counters();
        assertEquals(1, AdviceErrors.count(AdviceErrors.Hook.STORE_ARRAY_BUFFER));
        assertEquals(1000, c.offered());
        assertEquals(0, c.dropped(), "nothing was discarded: all 1000 records went to Spark");
        assertEquals(1000, c.admitted());
        assertEquals(out.length(), c.stored());
    }
}
