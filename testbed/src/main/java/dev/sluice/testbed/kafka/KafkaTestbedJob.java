package dev.sluice.testbed.kafka;

import dev.sluice.testbed.job.BatchStatsListener;
import dev.sluice.testbed.job.CsvFile;
import dev.sluice.testbed.job.TestbedJob;
import dev.sluice.testbed.job.Work;
import dev.sluice.testkit.kafka.Ledger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.kafka010.CanCommitOffsets;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.HasOffsetRanges;
import org.apache.spark.streaming.kafka010.KafkaUtils;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.apache.spark.streaming.kafka010.OffsetRange;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The test bed's Kafka job (driver JVM, any mode): a plain {@code KafkaUtils.createDirectStream} over one topic, as
 * users write it (no Sluice API; back-pressure settings only as {@code spark.*} configuration). Records are the
 * harness's {@code TopicFeed} records: value = unique id, key = the scenario's cost when it was produced. Every record
 * costs {@link Work#hanoi} of height {@code base + cost}, as in the receiver job. Per batch it writes each partition's
 * range with the count and checksum of the ids it processed ({@code ranges.csv}, {@link ProcessedRange}), the oldest
 * and newest producer timestamp ({@code work.csv}, for the end-to-end lag), and commits the batch's offsets with
 * {@code CanCommitOffsets.commitAsync}. {@code batches.csv}, {@code planned.csv}, {@code events.csv}, the memory
 * sampler and the stop protocol are the receiver job's ({@link TestbedJob}).
 *
 * <p>Arguments: {@code --run-dir D --bootstrap host:port --topic T --batch-ms 1000 --hanoi-base 10 --max-ms N
 * --warmup-ms N --runner-pid PID}.
 */
public final class KafkaTestbedJob {

    /** Cost of a record produced without one (the backlog carries the first phase's cost). */
    static final int DEFAULT_COST = 7;

    private KafkaTestbedJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = TestbedJob.pairs(args);
        Path runDir = Paths.get(opt.get("--run-dir")).toAbsolutePath();
        String topic = opt.get("--topic");
        long batchMs = Long.parseLong(opt.getOrDefault("--batch-ms", "1000"));
        int base = Integer.parseInt(opt.getOrDefault("--hanoi-base", Integer.toString(Work.DEFAULT_BASE)));
        long maxMs = Long.parseLong(opt.getOrDefault("--max-ms", "900000"));
        long warmupMs = Long.parseLong(opt.getOrDefault("--warmup-ms", "0"));
        long runnerPid = Long.parseLong(opt.getOrDefault("--runner-pid", "-1"));

        CsvFile events = new CsvFile(runDir.resolve("events.csv"), "epochMs,event,streamId,detail");
        CsvFile work = new CsvFile(runDir.resolve("work.csv"), TestbedJob.WORK_HEADER);
        CsvFile ranges = new CsvFile(runDir.resolve("ranges.csv"), ProcessedRange.HEADER);
        JavaStreamingContext ssc = new JavaStreamingContext(TestbedJob.sparkConf("sluice-testbed-kafka", runDir),
                Durations.milliseconds(batchMs));
        BatchStatsListener listener = TestbedJob.listen(ssc, runDir, events);

        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", opt.get("--bootstrap"));
        kafka.put("key.deserializer", LongDeserializer.class);
        kafka.put("value.deserializer", LongDeserializer.class);
        kafka.put("group.id", KafkaRig.groupOf(topic));
        kafka.put("auto.offset.reset", "earliest");
        kafka.put("enable.auto.commit", false);
        JavaInputDStream<ConsumerRecord<Long, Long>> stream = KafkaUtils.createDirectStream(ssc,
                LocationStrategies.PreferConsistent(),
                ConsumerStrategies.<Long, Long>Subscribe(Collections.singletonList(topic), kafka));
        stream.foreachRDD((rdd, time) -> {
            OffsetRange[] offsetRanges = ((HasOffsetRanges) rdd.rdd()).offsetRanges();
            // KafkaRDD partition i reads offsetRanges[i].
            List<long[]> parts = rdd.mapPartitionsWithIndex((index, records) -> {
                long[] r = {index, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0};
                while (records.hasNext()) {
                    ConsumerRecord<Long, Long> rec = records.next();
                    Long cost = rec.key();
                    r[5] += Work.hanoi(base + (cost == null ? DEFAULT_COST : cost.intValue()));
                    r[1]++;
                    r[2] += Ledger.mix(rec.value());
                    r[3] = Math.min(r[3], rec.timestamp());
                    r[4] = Math.max(r[4], rec.timestamp());
                }
                List<long[]> one = new ArrayList<>(1);
                one.add(r);
                return one.iterator();
            }, true).collect();
            long n = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (long[] r : parts) {
                OffsetRange range = offsetRanges[(int) r[0]];
                ranges.line(new ProcessedRange(time.milliseconds(), range.partition(), range.fromOffset(),
                        range.untilOffset(), r[1], r[2]).toCsv());
                n += r[1];
                min = Math.min(min, r[3]);
                max = Math.max(max, r[4]);
            }
            work.line(time.milliseconds() + "," + n + "," + (n == 0 ? -1 : min) + "," + (n == 0 ? -1 : max) + ","
                    + System.currentTimeMillis());
            ((CanCommitOffsets) stream.inputDStream()).commitAsync(offsetRanges);
        });
        TestbedJob.runUntilStopped(ssc, runDir, StorageLevel.MEMORY_ONLY(), base, warmupMs, maxMs, runnerPid, events,
                listener, work, ranges);
    }
}
