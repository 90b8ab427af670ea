package dev.sluice.examples.overload;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.text.SimpleDateFormat;
import java.util.Date;

import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;

import scala.Option;
import scala.Tuple2;

/**
 * One CSV line and one table row per completed batch:
 * {@code batchTimeMs,records_0..records_<n-1>,records,processingDelayMs,schedulingDelayMs,totalDelayMs}
 * (records per input stream id, as Spark counted them in the batch; -1 for a delay Spark did not report).
 *
 * <p>Only members that are identical in Spark 3.4 to 4.1 and Scala 2.12/2.13 are used (scala Iterator and Option, not
 * collection converters), so the one jar runs on both lines.
 */
final class BatchStatsListener implements StreamingListener {

    private final PrintWriter csv;
    private final PrintStream table;
    private final int streams;
    private final SimpleDateFormat clock = new SimpleDateFormat("HH:mm:ss");
    private int batches;

    BatchStatsListener(File file, int streams, PrintStream table) {
        this.streams = streams;
        this.table = table;
        try {
            this.csv = new PrintWriter(new FileWriter(file, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder h = new StringBuilder("batchTimeMs");
        StringBuilder t = new StringBuilder(String.format("%-9s", "batch"));
        for (int i = 0; i < streams; i++) {
            h.append(",records_").append(i);
            t.append(String.format(" %9s", "in[" + i + "]"));
        }
        h.append(",records,processingDelayMs,schedulingDelayMs,totalDelayMs");
        t.append(String.format(" %9s %9s %9s", "proc s", "sched s", "total s"));
        csv.println(h);
        csv.flush();
        table.println(t);
    }

    @Override
    public synchronized void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo info = completed.batchInfo();
        long[] perStream = new long[streams];
        scala.collection.Iterator<Tuple2<Object, StreamInputInfo>> it = info.streamIdToInputInfo().iterator();
        while (it.hasNext()) {
            StreamInputInfo in = it.next()._2();
            int id = in.inputStreamId();
            if (id >= 0 && id < streams) {
                perStream[id] = in.numRecords();
            }
        }
        long processing = millis(info.processingDelay());
        long scheduling = millis(info.schedulingDelay());
        long total = millis(info.totalDelay());
        long batchTime = info.batchTime().milliseconds();
        StringBuilder line = new StringBuilder().append(batchTime);
        StringBuilder row = new StringBuilder(String.format("%-9s", clock.format(new Date(batchTime))));
        long sum = 0;
        for (long n : perStream) {
            line.append(',').append(n);
            row.append(String.format(" %9d", n));
            sum += n;
        }
        line.append(',').append(sum).append(',').append(processing).append(',').append(scheduling).append(',')
                .append(total);
        row.append(String.format(" %9.2f %9.2f %9.2f", processing / 1000.0, scheduling / 1000.0, total / 1000.0));
        csv.println(line);
        csv.flush();
        table.println(row);
        batches++;
    }

    synchronized int batches() {
        return batches;
    }

    synchronized void close() {
        csv.close();
    }

    private static long millis(Option<Object> delay) {
        return delay.isDefined() ? ((Number) delay.get()).longValue() : -1;
    }
}
