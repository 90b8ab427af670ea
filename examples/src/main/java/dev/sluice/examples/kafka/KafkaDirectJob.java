package dev.sluice.examples.kafka;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;

import dev.sluice.examples.overload.BusyWork;

/**
 * A plain Kafka direct-stream job, as users write it (no Sluice API, no back-pressure settings unless passed as
 * {@code -Dspark.*}): reads a topic of long ids with {@code KafkaUtils.createDirectStream}, burns {@code workMicros}
 * of CPU per record, and per batch writes to {@code <out>/ranges.csv} each partition's offset range with the count and
 * checksum of the records it processed (sum of splitmix64 of the ids, the same function as the test harness's
 * {@code Ledger.mix}), then commits the batch's offsets to Kafka with {@code CanCommitOffsets.commitAsync}.
 * {@code <out>/batches.csv} gets every batch submission and completion (see {@link BatchEventsListener}).
 *
 * <p>Arguments: {@code bootstrap=host:port topic=name out=dir duration=seconds workMicros=n batchMs=n}.
 */
public final class KafkaDirectJob {

    private KafkaDirectJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String topic = a.get("topic");
        File out = new File(a.get("out"));
        long durationMs = Long.parseLong(a.get("duration")) * 1000;
        final int workMicros = Integer.parseInt(a.getOrDefault("workMicros", "0"));
        long batchMs = Long.parseLong(a.getOrDefault("batchMs", "1000"));
        out.mkdirs();

        JavaStreamingContext ssc = new JavaStreamingContext(new SparkConf().setAppName("sluice-kafka-direct"),
                Durations.milliseconds(batchMs));
        ssc.addStreamingListener(new BatchEventsListener(new File(out, "batches.csv")));
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", a.get("bootstrap"));
        kafka.put("key.deserializer", LongDeserializer.class);
        kafka.put("value.deserializer", LongDeserializer.class);
        kafka.put("group.id", "sluice-" + topic);
        kafka.put("auto.offset.reset", "earliest");
        kafka.put("enable.auto.commit", false);
        JavaInputDStream<ConsumerRecord<Long, Long>> stream = KafkaUtils.createDirectStream(ssc,
                LocationStrategies.PreferConsistent(),
                ConsumerStrategies.<Long, Long>Subscribe(Collections.singletonList(topic), kafka));

        PrintWriter ranges = new PrintWriter(new FileWriter(new File(out, "ranges.csv"), false));
        ranges.println("batchTimeMs,partition,fromOffset,untilOffset,records,checksum");
        ranges.flush();
        stream.foreachRDD((rdd, time) -> {
            OffsetRange[] offsetRanges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
            // KafkaRDD partition i reads offsetRanges[i].
            List<long[]> results = rdd.mapPartitionsWithIndex((index, records) -> {
                long count = 0;
                long checksum = 0;
                long acc = 0;
                while (records.hasNext()) {
                    long id = records.next().value();
                    acc += BusyWork.burn(id, workMicros);
                    checksum += mix(id);
                    count++;
                }
                BusyWork.sink(acc);
                List<long[]> one = new ArrayList<>();
                one.add(new long[] {index, count, checksum});
                return one.iterator();
            }, true).collect();
            StringBuilder lines = new StringBuilder();
            for (long[] r : results) {
                OffsetRange range = offsetRanges[(int) r[0]];
                lines.append(time.milliseconds()).append(',').append(range.partition()).append(',')
                        .append(range.fromOffset()).append(',').append(range.untilOffset()).append(',').append(r[1])
                        .append(',').append(r[2]).append('\n');
            }
            synchronized (ranges) {
                ranges.print(lines);
                ranges.flush();
            }
            ((CanCommitOffsets) stream.inputDStream()).commitAsync(offsetRanges);
        });
        warmUp(ssc, kafka, topic);
        ssc.start();
        ssc.awaitTerminationOrTimeout(durationMs);
        // Not graceful: a stock run may hold minutes of queued batches; only completed batches are reported.
        ssc.stop(true, false);
        ranges.close();
    }

    /**
     * Before the stream starts, every executor runs the work and opens a Kafka consumer once: class loading and the
     * first consumer (4-30 s on a loaded 2-core machine) would otherwise make the first batch minutes of queue for
     * any controller, which says nothing about admission. The same in every mode.
     */
    private static void warmUp(JavaStreamingContext ssc, Map<String, Object> kafka, String topic) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put("group.id", "sluice-warm-up");
        ssc.sparkContext().parallelize(java.util.Arrays.asList(0, 1, 2, 3), 4).foreach(i -> {
            BusyWork.sink(BusyWork.burn(i, 200_000));
            try (org.apache.kafka.clients.consumer.KafkaConsumer<Long, Long> c =
                         new org.apache.kafka.clients.consumer.KafkaConsumer<>(props)) {
                c.partitionsFor(topic);
            }
        });
    }

    /** splitmix64's finaliser (the harness's {@code Ledger.mix}): a record's term in a checksum. */
    static long mix(long id) {
        long z = id + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

}
