package dev.sluice.runtime;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lazy gate for stored iterators: each element is offered to the stream's strategy as Spark pulls it (throttle
 * waits here, drop and sample decide here); discarded elements are consumed from the source and counted, never seen by
 * Spark. Used as is for the {@code store(java.util.Iterator)} overloads (Spark wraps it with asScala afterwards), and
 * behind {@link GateIterator} for the Scala ones. Exceptions from the source propagate unchanged.
 */
public final class GateJavaIterator implements Iterator<Object> {

    private final Iterator<?> source;
    private final ManagedStream stream;
    private Object lookahead;
    private boolean ready;

    GateJavaIterator(Iterator<?> source, ManagedStream stream) {
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
