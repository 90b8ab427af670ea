package dev.sluice.reactive;

import java.io.Serializable;
import java.util.concurrent.Flow;

/**
 * Makes a fresh {@link Flow.Publisher} on the executor at each (re)start; Serializable because Spark ships it with
 * the receiver. Java 9+ (compiled separately from the Java 8 classes of this module).
 */
@FunctionalInterface
public interface FlowPublisherFactory<T> extends Serializable {

    Flow.Publisher<T> create() throws Exception;
}
