package dev.sluice.examples.overload;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.util.LongAccumulator;

import dev.sluice.examples.strategy.WindowedTopKReceiver;

/**
 * A streaming job that is offered more than it can process: each receiver generates {@code rate} records/s (paced
 * per 10 ms tick) and every record costs {@code workMicros} of CPU. Per completed batch it writes one CSV line
 * ({@code batches.csv}) and prints one table row; each receiver writes what it offered per second
 * ({@code receiver-<streamId>-<pid>.csv}); per stream and batch, the count and mean of the record values processed go to
 * {@code values-<streamId>.csv} (values are uniform in [0, 1 000 000): a mean near 500 000 means an unbiased subset,
 * a top-K strategy pushes it up). Runs for {@code duration} seconds, then stops.
 *
 * <p>Arguments, all {@code key=value}, all optional:
 * <pre>
 *   out=DIR             output directory (default ./overload-out)
 *   duration=SECONDS    run time before the clean stop (default 60)
 *   batchMs=MS          batch interval (default 1000)
 *   rate=N              records/s offered by each receiver (default 5000)
 *   workMicros=N        CPU busy work per record (default 200)
 *   receivers=M[,M..]   one receiver per entry; M = single (store(record)) | iterator (store(Iterator) per tick)
 *                       (default single,iterator)
 *   chunkMs=MS          iterator receivers store one chunk every MS ms (default 100; each store is one block)
 *   union=true|false    process the union of all streams in one output operation (one Spark job per batch instead
 *                       of one per receiver: what a job with many receivers does; default false). values-*.csv are
 *                       then not written.
 *   partitions=N        with union: coalesce each batch to N partitions (N tasks; default 0 = one per block)
 *   declareTopK=W:K     the receivers declare, in code, the top-K strategy's sliding-window form: keep the K largest
 *                       values of the last W ms ({@link WindowedTopKReceiver}; needs the agent)
 *   restartStorm=A:E:F  the first receiver restarts itself every E ms for F ms, from A ms after its first start
 *                       ({@link RestartStormReceiver})
 *   checkpoint=DIR      only {@link CheckpointedOverloadJob}: its checkpoint directory
 * </pre>
 * Storage level is Spark's receiver default, MEMORY_AND_DISK_SER_2 (replication avoids a 3 s locality wait when the
 * receiver's executor has no spare core).
 */
public final class OverloadJob {

    private OverloadJob() {
    }

    public static void main(String[] args) throws Exception {
        JobArgs a = JobArgs.parse(args);
        File out = new File(a.out).getAbsoluteFile();
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IllegalStateException("cannot create output directory " + out);
        }
        SparkConf conf = new SparkConf().setAppName("sluice-overload").setIfMissing("spark.master", "local[4]")
                .setIfMissing("spark.streaming.blockInterval", "200ms");
        JavaStreamingContext jssc = new JavaStreamingContext(conf, Durations.milliseconds(a.batchMs));
        List<String> modes = new ArrayList<>();
        List<JavaDStream<Long>> streams = new ArrayList<>();
        for (String m : a.receivers.split(",")) {
            StoreMode mode = StoreMode.parse(m.trim());
            modes.add(mode.name().toLowerCase());
            // Through a factory typed OfferingReceiver: verifying this method must not load WindowedTopKReceiver,
            // whose interface exists only where the agent is attached (the stock runs have none).
            OfferingReceiver receiver = a.topKWindowMs > 0
                    ? WindowedTopKReceiver.create(mode, a.rate, a.chunkMs, out.getAbsolutePath(), a.topKWindowMs, a.topK)
                    : a.receiver(mode, modes.size() == 1, out);
            JavaReceiverInputDStream<Long> stream = jssc.receiverStream(receiver);
            if (a.union) {
                streams.add(stream);
                continue;
            }
            final int workMicros = a.workMicros;
            final int streamIndex = modes.size() - 1;
            LongAccumulator values = jssc.sparkContext().sc().longAccumulator("values-" + streamIndex);
            ValueStats stats = new ValueStats(new File(out, "values-" + streamIndex + ".csv"));
            stream.foreachRDD((rdd, time) -> {
                values.reset();
                rdd.foreachPartition(it -> {
                    long acc = 0;
                    while (it.hasNext()) {
                        Long v = it.next();
                        acc += BusyWork.burn(v, workMicros);
                        values.add(v);
                    }
                    BusyWork.sink(acc);
                });
                stats.write(time.milliseconds(), values.count(), values.sum());
            });
        }
        if (a.union) {
            final int workMicros = a.workMicros;
            @SuppressWarnings("unchecked")
            JavaDStream<Long>[] all = streams.toArray(new JavaDStream[0]);
            final int partitions = a.partitions;
            jssc.union(all).foreachRDD(rdd -> (partitions > 0 ? rdd.coalesce(partitions) : rdd).foreachPartition(it -> {
                long acc = 0;
                while (it.hasNext()) {
                    acc += BusyWork.burn(it.next(), workMicros);
                }
                BusyWork.sink(acc);
            }));
        }
        System.out.println("overload job: " + modes.size() + " receiver(s) " + modes + ", " + a.rate
                + " records/s each, " + a.workMicros + " us/record, batch " + a.batchMs + " ms, " + a.durationSeconds
                + " s, master " + conf.get("spark.master") + ", out " + out);
        BatchStatsListener listener = new BatchStatsListener(new File(out, "batches.csv"), modes.size(), System.out);
        jssc.addStreamingListener(listener);
        jssc.start();
        jssc.awaitTerminationOrTimeout(a.durationSeconds * 1000L);
        // Not graceful: an overloaded stock run has minutes of queued batches; they are the point, not work to do.
        jssc.stop(true, false);
        listener.close();
        System.out.println("overload job: stopped after " + listener.batches() + " completed batches");
        System.exit(0);
    }

    /** The job's arguments. */
    static final class JobArgs {
        String out = "overload-out";
        int durationSeconds = 60;
        long batchMs = 1000;
        long rate = 5000;
        int workMicros = 200;
        String receivers = "single,iterator";
        long chunkMs = 100;
        long topKWindowMs;
        int topK;
        boolean union;
        int partitions;
        long[] restartStorm;
        String checkpoint;

        /** The receiver of one entry of {@code receivers}: the first one storms when {@code restartStorm} is given. */
        OfferingReceiver receiver(StoreMode mode, boolean first, File out) {
            return first && restartStorm != null
                    ? new RestartStormReceiver(mode, rate, chunkMs, out.getAbsolutePath(), restartStorm[0],
                            restartStorm[1], restartStorm[2])
                    : new OfferingReceiver(mode, rate, chunkMs, out.getAbsolutePath());
        }

        static JobArgs parse(String[] args) {
            JobArgs a = new JobArgs();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
                }
                String k = arg.substring(0, eq);
                String v = arg.substring(eq + 1);
                switch (k) {
                    case "out": a.out = v; break;
                    case "duration": a.durationSeconds = Integer.parseInt(v); break;
                    case "batchMs": a.batchMs = Long.parseLong(v); break;
                    case "rate": a.rate = Long.parseLong(v); break;
                    case "workMicros": a.workMicros = Integer.parseInt(v); break;
                    case "receivers": a.receivers = v; break;
                    case "chunkMs": a.chunkMs = Long.parseLong(v); break;
                    case "union": a.union = Boolean.parseBoolean(v); break;
                    case "partitions": a.partitions = Integer.parseInt(v); break;
                    case "declareTopK": {
                        String[] wk = v.split(":");
                        a.topKWindowMs = Long.parseLong(wk[0]);
                        a.topK = Integer.parseInt(wk[1]);
                        break;
                    }
                    case "restartStorm": {
                        String[] aef = v.split(":");
                        a.restartStorm = new long[] {Long.parseLong(aef[0]), Long.parseLong(aef[1]),
                                Long.parseLong(aef[2])};
                        break;
                    }
                    case "checkpoint": a.checkpoint = v; break;
                    default:
                        throw new IllegalArgumentException("unknown argument '" + k + "'; known: out, duration, "
                                + "batchMs, rate, workMicros, receivers, chunkMs, union, partitions, declareTopK, "
                                + "restartStorm, checkpoint");
                }
            }
            return a;
        }
    }
}
