package dev.sluice.reactive;

import java.io.Serializable;

import org.reactivestreams.Publisher;

/**
 * Makes a fresh {@link Publisher} each time the receiver (re)subscribes.
 *
 * <p>Serializable because Spark ships the receiver, factory included, from the driver to an executor; the publisher
 * itself (sockets, clients, threads) is created there, and created again on every receiver restart, since a
 * Reactive Streams subscription cannot be resumed once it has failed or been cancelled.
 */
@FunctionalInterface
public interface PublisherFactory<T> extends Serializable {

    /** A new publisher; called on the receiver's own thread on the executor, once per (re)start. */
    Publisher<T> create() throws Exception;
}
