package dev.sluice.examples.reactive;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

import dev.sluice.reactive.ReactiveStreams;

/**
 * The reactive receiver under a source that could emit far more than the job processes: a {@link CountingPublisher}
 * (unlimited speed, it emits whatever is requested) and {@code workMicros} of CPU per record. Writes the ground truth
 * for the smoke test:
 * <ul>
 *   <li>{@code publisher-<pid>.csv} (executor): requested and emitted, cumulative, once a second;</li>
 *   <li>{@code processed.csv} (driver): per batch, the count, sum and max of the values the job processed;</li>
 *   <li>{@code batches.csv} (driver): per completed batch, Spark's record count and delays.</li>
 * </ul>
 * Stops gracefully after {@code duration} seconds, so everything received is processed.
 *
 * <p>Arguments {@code key=value}: {@code out=DIR}, {@code duration=SECONDS} (60), {@code batchMs=MS} (1000),
 * {@code workMicros=N} (100), {@code fallbackRate=N} (receiver default).
 */
public final class ReactiveLoadJob {

    private ReactiveLoadJob() {
    }

    public static void main(String[] args) throws Exception {
        String out = "reactive-out";
        long duration = 60;
        long batchMs = 1000;
        int workMicros = 100;
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "out": out = kv[1]; break;
                case "duration": duration = Long.parseLong(kv[1]); break;
                case "batchMs": batchMs = Long.parseLong(kv[1]); break;
                case "workMicros": workMicros = Integer.parseInt(kv[1]); break;
                default: throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        File dir = new File(out).getAbsoluteFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create " + dir);
        }
        SparkConf conf = new SparkConf().setAppName("sluice-reactive-load").setIfMissing("spark.master", "local[3]");
        JavaStreamingContext jssc = new JavaStreamingContext(conf, Durations.milliseconds(batchMs));
        final String dirPath = dir.getAbsolutePath();
        JavaReceiverInputDStream<Long> numbers = ReactiveStreams.receiverStream(jssc,
                () -> new CountingPublisher(PublisherCounters.reportingTo(dirPath)),
                StorageLevel.MEMORY_AND_DISK_SER_2());

        final int work = workMicros;
        final CsvAppender processed = new CsvAppender(new File(dir, "processed.csv"),
                "batchTimeMs,count,sum,max");
        numbers.foreachRDD((rdd, time) -> {
            List<long[]> parts = rdd.mapPartitions(it -> {
                long count = 0, sum = 0, max = -1, acc = 0;
                while (it.hasNext()) {
                    long v = it.next();
                    acc += burn(v, work);
                    count++;
                    sum += v;
                    max = Math.max(max, v);
                }
                if (acc == 42) {
                    System.out.print(""); // keeps the busy work from being optimised away
                }
                return Collections.singletonList(new long[] {count, sum, max}).iterator();
            }).collect();
            long count = 0, sum = 0, max = -1;
            for (long[] p : parts) {
                count += p[0];
                sum += p[1];
                max = Math.max(max, p[2]);
            }
            processed.append(time.milliseconds() + "," + count + "," + sum + "," + max);
        });
        CsvAppender batches = new CsvAppender(new File(dir, "batches.csv"),
                "batchTimeMs,records,schedulingDelayMs,processingDelayMs");
        jssc.addStreamingListener(new StreamingListener() {
            @Override
            public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
                BatchInfo b = completed.batchInfo();
                batches.append(b.batchTime().milliseconds() + "," + b.numRecords() + ","
                        + millis(b.schedulingDelay()) + "," + millis(b.processingDelay()));
            }
        });
        System.out.println("reactive load job: " + workMicros + " us/record, batch " + batchMs + " ms, " + duration
                + " s, maxRate " + conf.get("spark.streaming.receiver.maxRate", "(unset)") + ", out " + dir);
        jssc.start();
        jssc.awaitTerminationOrTimeout(duration * 1000);
        jssc.stop(true, true);
        System.out.println("reactive load job: stopped gracefully");
        System.exit(0);
    }

    private static long millis(scala.Option<Object> delay) {
        return delay.isDefined() ? (Long) delay.get() : -1L;
    }

    /** About {@code micros} of CPU per record: the job's processing cost. */
    static long burn(long value, int micros) {
        long end = System.nanoTime() + micros * 1000L;
        long x = value;
        while (System.nanoTime() < end) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x;
    }

    /** Appends lines to a CSV file, header first (driver side only). */
    static final class CsvAppender implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final File file;

        CsvAppender(File file, String header) {
            this.file = file;
            write(header);
        }

        synchronized void append(String line) {
            write(line);
        }

        private void write(String line) {
            try (PrintWriter w = new PrintWriter(new FileWriter(file, true))) {
                w.println(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
