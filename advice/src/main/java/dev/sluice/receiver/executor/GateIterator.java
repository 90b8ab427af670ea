package dev.sluice.receiver.executor;

import scala.collection.AbstractIterator;
import scala.collection.Iterator;

import java.util.NoSuchElementException;

/**
 * The lazy gate Spark consumes in place of a stored Scala iterator: the same contract and counting as
 * {@link GateJavaIterator} (read its comment). A Java subclass of {@code scala.collection.AbstractIterator}, whose only
 * abstract members are {@code hasNext}/{@code next} on both Scala 2.12 and 2.13, so one class links on both (the
 * start-up reference check verifies that on the host's Scala).
 *
 * <p>Why this mirrors {@link GateJavaIterator} instead of delegating to it: delegation costs two more objects per bulk
 * store (an adapter and the inner gate); the design allows one wrapper per bulk store.
 */
public final class GateIterator extends AbstractIterator<Object> {

    private final Iterator<?> source;
    private final ManagedStream stream;
    private Object lookahead;
    private int ready;

    GateIterator(Iterator<?> source, ManagedStream stream) {
        this.source = source;
        this.stream = stream;
    }

    @Override
    public boolean hasNext() {
        while (ready == 0) {
            if (!source.hasNext()) {
                return false;
            }
            Object candidate = source.next();
            int verdict = ElementGate.offer(stream, candidate);
            if (verdict != ElementGate.DISCARDED) {
                lookahead = candidate;
                ready = verdict;
            }
        }
        return true;
    }

    @Override
    public Object next() {
        if (!hasNext()) {
            throw new NoSuchElementException("next on empty iterator");
        }
        Object out = lookahead;
        boolean counted = ready == ElementGate.COUNTED;
        lookahead = null;
        ready = 0;
        if (counted) {
            ElementGate.handOver(stream);
        }
        return out;
    }
}
