package dev.sluice.reactive;

import java.util.concurrent.Flow;

import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

/**
 * {@link ReactiveStreams} for {@link Flow.Publisher} factories, through the standard {@link FlowAdapters}.
 *
 * <p>Why a class of its own: the rest of this module is Java 8 bytecode so it loads on Spark 3.x clusters running
 * Java 8, and {@code java.util.concurrent.Flow} exists only from Java 9. This class (and
 * {@link FlowPublisherFactory}) is compiled with {@code --release 9} from {@code src/main/java9}; nothing in the
 * Java 8 classes refers to it, so on Java 8 it is simply never loaded.
 */
public final class FlowReactiveStreams {

    private FlowReactiveStreams() {
    }

    public static <T> JavaReceiverInputDStream<T> flowReceiverStream(JavaStreamingContext jssc,
                                                                     FlowPublisherFactory<T> factory,
                                                                     StorageLevel level) {
        return ReactiveStreams.receiverStream(jssc, adapt(factory), level);
    }

    public static <T> JavaReceiverInputDStream<T> flowReceiverStream(JavaStreamingContext jssc,
                                                                     FlowPublisherFactory<T> factory,
                                                                     StorageLevel level,
                                                                     ReactiveReceiverOptions options) {
        return ReactiveStreams.receiverStream(jssc, adapt(factory), level, options);
    }

    public static <T> ReceiverInputDStream<T> flowReceiverStream(StreamingContext ssc,
                                                                 FlowPublisherFactory<T> factory,
                                                                 StorageLevel level) {
        return ReactiveStreams.receiverStream(ssc, adapt(factory), level);
    }

    /** A serializable {@link PublisherFactory} that wraps each new Flow publisher with {@link FlowAdapters}. */
    public static <T> PublisherFactory<T> adapt(FlowPublisherFactory<T> factory) {
        if (factory == null) {
            throw new NullPointerException("factory");
        }
        return new FlowAdapted<T>(factory);
    }

    private static final class FlowAdapted<T> implements PublisherFactory<T> {
        private static final long serialVersionUID = 1L;
        private final FlowPublisherFactory<T> flow;

        FlowAdapted(FlowPublisherFactory<T> flow) {
            this.flow = flow;
        }

        @Override
        public Publisher<T> create() throws Exception {
            return FlowAdapters.toPublisher(flow.create());
        }
    }
}
