package dev.sluice.runtime;

import scala.collection.AbstractIterator;
import scala.collection.Iterator;

import java.util.NoSuchElementException;

/**
 * The lazy gate Spark consumes in place of a stored Scala iterator: each element is offered to the stream's strategy as
 * Spark pulls it (throttle waits here, drop and sample decide here); discarded elements are consumed from the source and
 * counted, never seen by Spark. A Java subclass of {@code scala.collection.AbstractIterator}, whose only abstract members
 * are {@code hasNext}/{@code next} on both Scala 2.12 and 2.13, so one class links on both.
 *
 * <p>Exceptions from the source iterator propagate unchanged, as without Sluice; failures of Sluice's own decision are
 * contained (counted, the element kept).
 *
 * <p>Why this mirrors {@link GateJavaIterator} instead of delegating to it: delegation costs two more objects per bulk
 * store (an adapter and the inner gate); the design allows one wrapper per bulk store.
 */
public final class GateIterator extends AbstractIterator<Object> {

    private final Iterator<?> source;
    private final ManagedStream stream;
    private Object lookahead;
    private boolean ready;

    GateIterator(Iterator<?> source, ManagedStream stream) {
        this.source = source;
        this.stream = stream;
    }

    @Override
    public boolean hasNext() {
        while (!ready) {
            if (!source.hasNext()) {
                return false;
            }
            Object candidate = source.next();
            if (ElementGate.admit(stream, candidate)) {
                lookahead = candidate;
                ready = true;
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
        lookahead = null;
        ready = false;
        return out;
    }
}
