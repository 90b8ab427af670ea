package dev.sluice.reactive;

import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;

import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Entry points: a DStream fed by a Reactive Streams publisher, with demand bounded by the receiver's rate limit.
 *
 * <pre>{@code
 * JavaReceiverInputDStream<String> lines = ReactiveStreams.receiverStream(jssc,
 *         () -> new MyPublisher("host", 9000), StorageLevel.MEMORY_AND_DISK_SER_2());
 * }</pre>
 * For {@code java.util.concurrent.Flow} publishers see {@code FlowReactiveStreams} (Java 9+).
 */
public final class ReactiveStreams {

    private ReactiveStreams() {
    }

    public static <T> JavaReceiverInputDStream<T> receiverStream(JavaStreamingContext jssc,
                                                                 PublisherFactory<T> factory, StorageLevel level) {
        return receiverStream(jssc, factory, level, ReactiveReceiverOptions.defaults());
    }

    public static <T> JavaReceiverInputDStream<T> receiverStream(JavaStreamingContext jssc,
                                                                 PublisherFactory<T> factory, StorageLevel level,
                                                                 ReactiveReceiverOptions options) {
        return jssc.receiverStream(new ReactiveReceiver<T>(factory, level, options));
    }

    /** For Scala callers: {@code ReactiveStreams.receiverStream(ssc, () => publisher, level)}. */
    public static <T> ReceiverInputDStream<T> receiverStream(StreamingContext ssc, PublisherFactory<T> factory,
                                                             StorageLevel level) {
        return receiverStream(ssc, factory, level, ReactiveReceiverOptions.defaults());
    }

    public static <T> ReceiverInputDStream<T> receiverStream(StreamingContext ssc, PublisherFactory<T> factory,
                                                             StorageLevel level, ReactiveReceiverOptions options) {
        return ssc.receiverStream(new ReactiveReceiver<T>(factory, level, options), ReactiveStreams.<T>anyRef());
    }

    @SuppressWarnings("unchecked")
    private static <T> ClassTag<T> anyRef() {
        // Records are objects; an Object class tag is what JavaStreamingContext uses for Java receivers too.
        return (ClassTag<T>) ClassTag$.MODULE$.apply(Object.class);
    }
}
