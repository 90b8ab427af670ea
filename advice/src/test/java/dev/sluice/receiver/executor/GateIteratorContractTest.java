package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.strategy.builtin.StreamCounters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The iterator contract of both gate iterators (the Scala one and the Java one), and their accounting: offered as
 * pulled from the source, admitted and stored only when handed over by {@code next}.
 */
class GateIteratorContractTest {

    @BeforeEach
    void fresh() {
        RuntimeFixture.install("sluice.strategy", "drop");
    }

    /** A gate of the given kind over {@code source}, seen through one Java-iterator face. */
    private static Iterator<Object> gate(String kind, Iterator<Object> source, int streamId) {
        TestReceiver receiver = new TestReceiver(streamId);
        if (kind.equals("java")) {
            @SuppressWarnings("unchecked")
            Iterator<Object> g = (Iterator<Object>) ReceiverHooks.gateJavaIterator(receiver, source, false);
            assertTrue(g instanceof GateJavaIterator);
            return g;
        }
        scala.collection.Iterator<?> g = ReceiverHooks.gateScalaIterator(receiver,
                scala.collection.JavaConverters.asScalaIterator(source), false);
        assertTrue(g instanceof GateIterator);
        return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return g.hasNext();
            }

            @Override
            public Object next() {
                return g.next();
            }
        };
    }

    /** A source that counts its pulls and throws at element {@code failAt} (never when negative). */
    static final class CountingSource implements Iterator<Object> {
        final int size;
        final int failAt;
        int pulled;

        CountingSource(int size, int failAt) {
            this.size = size;
            this.failAt = failAt;
        }

        @Override
        public boolean hasNext() {
            return pulled < size;
        }

        @Override
        public Object next() {
            if (pulled == failAt) {
                pulled++;
                throw new IllegalStateException("source failed at " + failAt);
            }
            if (pulled >= size) {
                throw new NoSuchElementException();
            }
            return "r" + pulled++;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "scala"})
    void hasNextIsIdempotentAndNextWorksWithoutIt(String kind) {
        CountingSource source = new CountingSource(3, -1);
        Iterator<Object> g = gate(kind, source, 0);
        assertTrue(g.hasNext());
        assertTrue(g.hasNext());
        assertTrue(g.hasNext());
        assertEquals(1, source.pulled, "hasNext pulls at most one element ahead");
        assertEquals("r0", g.next());
        assertEquals("r1", g.next(), "next without hasNext");
        assertEquals("r2", g.next());
        assertFalse(g.hasNext());
        assertFalse(g.hasNext());
        assertThrows(NoSuchElementException.class, g::next);
        StreamCounters c = StreamGates.of(0).counters();
        assertEquals(3, c.offered());
        assertEquals(3, c.admitted());
        assertEquals(3, c.stored());
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "scala"})
    void anElementPulledAheadThatSparkNeverTakesIsNotCountedAdmitted(String kind) {
        CountingSource source = new CountingSource(10, -1);
        Iterator<Object> g = gate(kind, source, 1);
        g.next();
        g.next();
        assertTrue(g.hasNext()); // Spark looked ahead, then abandoned the iterator (an error of its own)
        StreamCounters.Snapshot s = StreamGates.of(1).counters().snapshot();
        assertEquals(3, s.offered, "three pulled from the source");
        assertEquals(2, s.stored, "two handed to Spark");
        assertEquals(2, s.admitted, "the element pulled ahead was never stored: not admitted");
        assertEquals(0, s.dropped);
        assertEquals(1, s.unsettled(), "it shows as offered and unsettled");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "scala"})
    void discardedElementsAreConsumedAndCountedWhenDecided(String kind) {
        StreamGates.of(2).learnBound(50); // burst: 10 records
        List<Object> taken = new ArrayList<Object>();
        CountingSource source = new CountingSource(100, -1);
        Iterator<Object> g = gate(kind, source, 2);
        while (g.hasNext()) {
            taken.add(g.next());
        }
        assertEquals(100, source.pulled);
        StreamCounters c = StreamGates.of(2).counters();
        assertEquals(100, c.offered());
        assertEquals(taken.size(), c.stored());
        assertEquals(c.offered(), c.admitted() + c.dropped());
        assertEquals(c.admitted(), c.stored());
        assertTrue(c.dropped() > 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "scala"})
    void aSourceExceptionPropagatesUnchangedAndCountsNothingForTheFailedElement(String kind) {
        CountingSource source = new CountingSource(10, 2);
        Iterator<Object> g = gate(kind, source, 3);
        assertEquals("r0", g.next());
        assertEquals("r1", g.next());
        IllegalStateException e = assertThrows(IllegalStateException.class, g::hasNext);
        assertEquals("source failed at 2", e.getMessage());
        assertEquals(0, AdviceErrors.total(), "the caller's error is not Sluice's");
        StreamCounters.Snapshot s = StreamGates.of(3).counters().snapshot();
        assertEquals(2, s.offered);
        assertEquals(2, s.admitted);
        assertEquals(2, s.stored);
        assertEquals("r3", g.next(), "the gate goes on where the source does");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "scala"})
    void aNullElementIsAnElement(String kind) {
        List<Object> withNull = new ArrayList<Object>();
        withNull.add(null);
        withNull.add("x");
        Iterator<Object> g = gate(kind, withNull.iterator(), 4);
        assertTrue(g.hasNext());
        assertSame(null, g.next());
        assertEquals("x", g.next());
        assertFalse(g.hasNext());
        assertEquals(2, StreamGates.of(4).counters().stored());
    }
}
