package dev.sluice.examples.reactive;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

import dev.sluice.reactive.ReactiveStreams;

/**
 * The smallest reactive job: a publisher that could emit millions of records a second feeds a DStream, and the
 * receiver asks it for no more than the receiver's rate limit per block interval ({@code maxRate} here; with the
 * Sluice agent, Sluice's bound). Prints how many records each batch got.
 *
 * <pre>
 *   spark-submit --class dev.sluice.examples.reactive.ReactiveExample \
 *       --conf spark.streaming.receiver.maxRate=2000 sluice-examples.jar [seconds]
 * </pre>
 */
public final class ReactiveExample {

    private ReactiveExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 30;
        SparkConf conf = new SparkConf().setAppName("sluice-reactive-example").setIfMissing("spark.master", "local[2]")
                .setIfMissing("spark.streaming.receiver.maxRate", "2000");
        JavaStreamingContext jssc = new JavaStreamingContext(conf, Durations.seconds(1));

        // The factory runs on the executor, once per receiver (re)start: build the real client there.
        JavaReceiverInputDStream<Long> numbers = ReactiveStreams.receiverStream(jssc,
                () -> new CountingPublisher(PublisherCounters.unreported()), StorageLevel.MEMORY_AND_DISK_SER_2());

        numbers.count().print();
        jssc.start();
        jssc.awaitTerminationOrTimeout(seconds * 1000);
        jssc.stop(true, true);
    }
}
