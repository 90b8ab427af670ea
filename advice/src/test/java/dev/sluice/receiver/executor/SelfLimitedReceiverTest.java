package dev.sluice.receiver.executor;

import dev.sluice.strategy.SelfLimitedReceiver;
import dev.sluice.strategy.builtin.StreamCounters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A receiver marked {@link SelfLimitedReceiver} is counted, not paced or cut a second time. */
class SelfLimitedReceiverTest {

    @BeforeEach
    void fresh() {
        RuntimeFixture.install("sluice.strategy", "drop");
    }

    @Test
    void markedReceiverIsCountedNotCut() {
        StreamGates.of(7).learnBound(50); // drop would keep ~10 of 500
        Iterator<?> gated = ReceiverHooks.gateJavaIterator(new MarkedReceiver(7), numbers(500), false);
        int kept = drain(gated);
        assertEquals(500, kept);
        ManagedStream stream = StreamGates.of(7);
        assertTrue(stream.isSelfLimited());
        assertEquals("self-limited", stream.strategyName());
        StreamCounters c = stream.counters();
        assertEquals(500, c.offered());
        assertEquals(500, c.admitted());
        assertEquals(kept, c.stored(), "what the consumer took");
        assertEquals(0, c.dropped());
        assertEquals(50.0, stream.effectiveBound(), "the receiver still reads the bound in force");
    }

    @Test
    void unmarkedReceiverOnTheSameBoundIsCut() {
        StreamGates.of(8).learnBound(50);
        int kept = drain(ReceiverHooks.gateJavaIterator(new TestReceiver(8), numbers(500), false));
        assertTrue(kept < 500, "drop must cut an unmarked receiver, kept " + kept);
        assertFalse(StreamGates.of(8).isSelfLimited());
    }

    @Test
    void markerIsFoundByNameThroughSuperclassesAndSuperinterfaces() {
        assertTrue(ManagedStream.implementsByName(SubclassOfMarked.class, SelfLimitedReceiver.NAME));
        assertTrue(ManagedStream.implementsByName(ViaSubInterface.class, SelfLimitedReceiver.NAME));
        assertFalse(ManagedStream.implementsByName(TestReceiver.class, SelfLimitedReceiver.NAME));
    }

    private static Iterator<Object> numbers(int n) {
        List<Object> source = new ArrayList<Object>();
        for (int i = 0; i < n; i++) {
            source.add(i);
        }
        return source.iterator();
    }

    private static int drain(Iterator<?> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    static class MarkedReceiver extends TestReceiver implements SelfLimitedReceiver {
        private static final long serialVersionUID = 1L;

        MarkedReceiver(int streamId) {
            super(streamId);
        }
    }

    static final class SubclassOfMarked extends MarkedReceiver {
        private static final long serialVersionUID = 1L;

        SubclassOfMarked() {
            super(9);
        }
    }

    interface Paced extends SelfLimitedReceiver {
    }

    static final class ViaSubInterface implements Paced {
    }
}
