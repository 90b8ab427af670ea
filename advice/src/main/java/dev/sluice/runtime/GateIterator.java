package dev.sluice.runtime;

import scala.collection.AbstractIterator;
import scala.collection.Iterator;


/**
 * The lazy gate Spark consumes in place of a stored Scala iterator: each element is offered to the stream's strategy as
 * Spark pulls it (throttle waits here, drop and sample decide here); discarded elements are consumed from the source and
 * counted, never seen by Spark. A Java subclass of {@code scala.collection.AbstractIterator}, whose only abstract members
 * are {@code hasNext}/{@code next} on both Scala 2.12 and 2.13, so one class links on both.
 *
 * <p>Exceptions from the source iterator propagate unchanged, as without Sluice; failures of Sluice's own decision are
 * contained (counted, the element kept).
 */
public final class GateIterator extends AbstractIterator<Object> {

    /** The gating logic lives once, in {@link GateJavaIterator}; this class only adapts it to Scala's Iterator. */
    private final GateJavaIterator gate;

    GateIterator(final Iterator<?> source, ManagedStream stream) {
        this.gate = new GateJavaIterator(new java.util.Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public Object next() {
                return source.next();
            }
        }, stream);
    }

    @Override
    public boolean hasNext() {
        return gate.hasNext();
    }

    @Override
    public Object next() {
        return gate.next();
    }
}
