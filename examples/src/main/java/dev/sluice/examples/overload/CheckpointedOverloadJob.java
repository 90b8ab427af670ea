package dev.sluice.examples.overload;

import java.io.File;

import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaReceiverInputDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

/**
 * The overload job as a driver that survives its own restart: its StreamingContext comes from
 * {@code JavaStreamingContext.getOrCreate(checkpoint, factory)}, so a second run with the same {@code checkpoint=DIR}
 * restores the first run's DStream graph (receivers, their configuration, the output operations) instead of building
 * it. It takes {@link OverloadJob}'s arguments plus {@code checkpoint=DIR} (required); it writes {@code batches.csv}
 * into {@code out} as the overload job does, but no {@code values-*.csv} (accumulators are not restored from a
 * checkpoint). Its receivers write their files where the run that created the graph said: a restored graph keeps them.
 * It prints {@code checkpointed job: new context} or {@code checkpointed job: restored from <dir>}, and stops
 * gracefully (every received record processed) after {@code duration} seconds.
 */
public final class CheckpointedOverloadJob {

    private CheckpointedOverloadJob() {
    }

    public static void main(String[] args) throws Exception {
        OverloadJob.JobArgs a = OverloadJob.JobArgs.parse(args);
        if (a.checkpoint == null) {
            throw new IllegalArgumentException("checkpoint=DIR is required");
        }
        File out = new File(a.out).getAbsoluteFile();
        if (!out.isDirectory() && !out.mkdirs()) {
            throw new IllegalStateException("cannot create output directory " + out);
        }
        boolean[] created = {false};
        JavaStreamingContext jssc = JavaStreamingContext.getOrCreate(a.checkpoint, () -> {
            created[0] = true;
            return newContext(a, out);
        });
        System.out.println(created[0] ? "checkpointed job: new context"
                : "checkpointed job: restored from " + a.checkpoint);
        int streams = a.receivers.split(",").length;
        BatchStatsListener listener = new BatchStatsListener(new File(out, "batches.csv"), streams, System.out);
        jssc.addStreamingListener(listener);
        jssc.start();
        jssc.awaitTerminationOrTimeout(a.durationSeconds * 1000L);
        jssc.stop(true, true);
        listener.close();
        System.out.println("checkpointed job: stopped after " + listener.batches() + " completed batches");
        System.exit(0);
    }

    private static JavaStreamingContext newContext(OverloadJob.JobArgs a, File out) {
        SparkConf conf = new SparkConf().setAppName("sluice-checkpointed").setIfMissing("spark.master", "local[4]")
                .setIfMissing("spark.streaming.blockInterval", "200ms");
        JavaStreamingContext jssc = new JavaStreamingContext(conf, Durations.milliseconds(a.batchMs));
        jssc.checkpoint(a.checkpoint);
        boolean first = true;
        for (String m : a.receivers.split(",")) {
            JavaReceiverInputDStream<Long> stream = jssc.receiverStream(a.receiver(StoreMode.parse(m.trim()), first,
                    out));
            first = false;
            final int workMicros = a.workMicros;
            // Only serializable state in the graph: it is written to the checkpoint and read back by the next driver.
            stream.foreachRDD(rdd -> rdd.foreachPartition(it -> {
                long acc = 0;
                while (it.hasNext()) {
                    acc += BusyWork.burn(it.next(), workMicros);
                }
                BusyWork.sink(acc);
            }));
        }
        return jssc;
    }
}
