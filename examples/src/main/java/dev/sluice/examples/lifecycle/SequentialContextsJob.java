package dev.sluice.examples.lifecycle;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;
import org.apache.spark.util.LongAccumulator;

import scala.reflect.ClassTag$;

/**
 * Several StreamingContexts one after another on one SparkContext (one driver JVM, the same executors), as users'
 * test suites and notebooks do. Context {@code k} (from 1) runs {@code seconds} seconds with one receiver that first
 * stays quiet for {@code quietSeconds}, then offers {@code rate} records/s through {@code store(record)}, and reports the
 * limit Spark's receiver API gives it ({@code supervisor().getCurrentRateLimit()}) once a second. Each context stops
 * gracefully (every record received is processed) and keeps the SparkContext.
 *
 * <p>With {@code controller=N} every input stream carries a rate controller of its own that publishes N records/s after
 * every batch (Spark's own RateControllerSuite does this); set {@code spark.streaming.backpressure.enabled} as wanted.
 *
 * <p>Output in {@code out}: {@code contexts.csv} ({@code context,startEpochMs,stopEpochMs,processedRecords}, the records
 * Spark processed, counted by the job's own accumulator) and {@code ctx-<k>/probe-<streamId>-<pid>.csv} from the
 * receiver ({@code epochMs,streamId,limit,offered}).
 *
 * <pre>
 *   out=DIR  contexts=N (3)  seconds=S (20)  quietSeconds=Q (0)  rate=R (1000)  batchMs=MS (1000)  controller=N (none)
 * </pre>
 */
public final class SequentialContextsJob {

    private SequentialContextsJob() {
    }

    public static void main(String[] args) throws Exception {
        String out = "contexts-out";
        int contexts = 3;
        int seconds = 20;
        int quietSeconds = 0;
        long rate = 1000;
        long batchMs = 1000;
        long controller = -1;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String k = eq > 0 ? arg.substring(0, eq) : arg;
            String v = eq > 0 ? arg.substring(eq + 1) : "";
            switch (k) {
                case "out": out = v; break;
                case "contexts": contexts = Integer.parseInt(v); break;
                case "seconds": seconds = Integer.parseInt(v); break;
                case "quietSeconds": quietSeconds = Integer.parseInt(v); break;
                case "rate": rate = Long.parseLong(v); break;
                case "batchMs": batchMs = Long.parseLong(v); break;
                case "controller": controller = Long.parseLong(v); break;
                default:
                    throw new IllegalArgumentException("unknown argument '" + arg + "'; known: out, contexts, seconds, "
                            + "quietSeconds, rate, batchMs, controller");
            }
        }
        File dir = new File(out).getAbsoluteFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalStateException("cannot create " + dir);
        }
        SparkConf conf = new SparkConf().setAppName("sluice-sequential-contexts")
                .setIfMissing("spark.master", "local[4]");
        JavaSparkContext sc = new JavaSparkContext(conf);
        try (PrintWriter summary = new PrintWriter(new FileWriter(new File(dir, "contexts.csv")))) {
            summary.println("context,startEpochMs,stopEpochMs,processedRecords");
            summary.flush();
            for (int k = 1; k <= contexts; k++) {
                File ctxDir = new File(dir, "ctx-" + k);
                if (!ctxDir.mkdirs()) {
                    throw new IOException("cannot create " + ctxDir);
                }
                JavaStreamingContext jssc = new JavaStreamingContext(sc, Durations.milliseconds(batchMs));
                StreamingContext ssc = jssc.ssc();
                ProbeReceiver receiver = new ProbeReceiver(rate, quietSeconds, ctxDir.getAbsolutePath());
                ReceiverInputDStream<Long> stream = controller > 0
                        ? new ControlledInputDStream(ssc, receiver, controller)
                        : ssc.receiverStream(receiver, ClassTag$.MODULE$.<Long>apply(Long.class));
                LongAccumulator processed = sc.sc().longAccumulator("processed-" + k);
                new org.apache.spark.streaming.api.java.JavaDStream<Long>(stream,
                        ClassTag$.MODULE$.<Long>apply(Long.class)).foreachRDD(rdd -> {
                            processed.add(rdd.count());
                        });
                long start = System.currentTimeMillis();
                System.out.println("sequential contexts: context " + k + " of " + contexts + " starts (" + seconds
                        + " s, quiet " + quietSeconds + " s, " + rate + " records/s"
                        + (controller > 0 ? ", own rate controller at " + controller + "/s" : "") + ")");
                jssc.start();
                jssc.awaitTerminationOrTimeout(seconds * 1000L);
                jssc.stop(false, true); // graceful: what was received is processed; the SparkContext stays
                long stop = System.currentTimeMillis();
                summary.println(k + "," + start + "," + stop + "," + processed.value());
                summary.flush();
                System.out.println("sequential contexts: context " + k + " stopped; processed " + processed.value());
            }
        } finally {
            sc.stop();
        }
        System.exit(0);
    }
}
