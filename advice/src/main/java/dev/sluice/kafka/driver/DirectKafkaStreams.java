package dev.sluice.kafka.driver;

import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.dstream.InputDStream;

import java.util.Arrays;

/**
 * The direct Kafka streams of a StreamingContext, found by class name among its input streams (the connector is
 * optional and may be loaded by a class loader the agent cannot link against). The driver runtime adds their ids to the
 * receiver streams' so that the same estimator measures them (records per stream come from Spark's batch info for
 * every input stream) and shares the capacity between all of them.
 */
public final class DirectKafkaStreams {

    private DirectKafkaStreams() {
    }

    /** {@code receiverStreamIds} followed by the ids of the context's direct Kafka streams (when Sluice manages them). */
    public static int[] withDirectStreams(StreamingContext ssc, int[] receiverStreamIds) {
        if (!KafkaDirectSupport.enabled()) {
            return receiverStreamIds;
        }
        InputDStream<?>[] inputs = ssc.graph().getInputStreams();
        int[] ids = Arrays.copyOf(receiverStreamIds, receiverStreamIds.length + inputs.length);
        int n = receiverStreamIds.length;
        for (InputDStream<?> input : inputs) {
            if (isDirectKafka(input.getClass())) {
                ids[n++] = input.id();
            }
        }
        return Arrays.copyOf(ids, n);
    }

    static boolean isDirectKafka(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(KafkaDirectSupport.DIRECT_STREAM_CLASS)) {
                return true;
            }
        }
        return false;
    }
}
