package dev.sluice.runtime;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** {@link GateIterator} for the {@code store(java.util.Iterator)} overloads (Spark wraps it with asScala afterwards). */
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
            throw new NoSuchElementException();
        }
        Object out = lookahead;
        lookahead = null;
        ready = false;
        return out;
    }
}
