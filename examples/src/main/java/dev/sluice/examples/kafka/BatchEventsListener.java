package dev.sluice.examples.kafka;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;

import scala.Option;

/**
 * One CSV line per batch event: {@code event,batchTimeMs,records,submissionMs,schedulingDelayMs,processingDelayMs}
 * ({@code submitted} lines carry the records Spark planned before the batch ran; -1 for what Spark has not reported).
 * Only members identical in Spark 3.4–4.1 and Scala 2.12/2.13 are used.
 */
final class BatchEventsListener implements StreamingListener {

    private final PrintWriter csv;

    BatchEventsListener(File file) {
        try {
            csv = new PrintWriter(new FileWriter(file, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        csv.println("event,batchTimeMs,records,submissionMs,schedulingDelayMs,processingDelayMs");
        csv.flush();
    }

    @Override
    public synchronized void onBatchSubmitted(StreamingListenerBatchSubmitted submitted) {
        write("submitted", submitted.batchInfo());
    }

    @Override
    public synchronized void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        write("completed", completed.batchInfo());
    }

    private void write(String event, BatchInfo info) {
        csv.println(event + ',' + info.batchTime().milliseconds() + ',' + info.numRecords() + ','
                + info.submissionTime() + ',' + millis(info.schedulingDelay()) + ',' + millis(info.processingDelay()));
        csv.flush();
    }

    private static long millis(Option<Object> value) {
        return value.isDefined() ? ((Number) value.get()).longValue() : -1;
    }
}
