package dev.sluice.reactive;

import java.util.List;

/**
 * Where a {@link BoundedDemandSubscriber} puts what it received. The Spark receiver is one implementation; tests use
 * plain ones, so the subscriber is verified without Spark.
 */
public interface Sink<T> {

    /**
     * Stores one block: the records received since the previous block, in arrival order. Called by one thread at a
     * time, never with an empty list. The list is the sink's to keep.
     */
    void store(List<T> block);

    /** The publisher completed; every record received was stored before this call. */
    void completed();

    /** The subscription failed (publisher error, or a failure to store); what was received was offered to store. */
    void failed(Throwable error);
}
