package dev.sluice.receiver.executor;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The lazy gate for stored {@code java.util.Iterator}s (Spark wraps it with asScala afterwards): each element is offered
 * to the stream's strategy as Spark pulls it (throttle waits here, drop and sample decide here); discarded elements are
 * consumed from the source and counted, never seen by Spark.
 *
 * <p>Contract (as any iterator): {@code hasNext} is idempotent (it pulls and decides at most one element ahead and
 * keeps it until {@code next}); {@code next} without {@code hasNext} works; {@code next} past the end throws
 * {@link NoSuchElementException}. An element is counted admitted and stored only when {@code next} hands it to Spark,
 * so an element pulled ahead that Spark never takes (Spark abandoned the iterator after an error of its own) stays
 * offered and unsettled, never counted as stored. Exceptions from the source propagate unchanged, as without Sluice;
 * nothing is counted for the element that failed.
 */
public final class GateJavaIterator implements Iterator<Object> {

    private final Iterator<?> source;
    private final ManagedStream stream;
    private Object lookahead;
    /** 0: none pulled ahead; else {@link ElementGate#COUNTED} or {@link ElementGate#UNCOUNTED}. */
    private int ready;

    GateJavaIterator(Iterator<?> source, ManagedStream stream) {
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
