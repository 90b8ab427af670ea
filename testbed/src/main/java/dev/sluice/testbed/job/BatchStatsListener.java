package dev.sluice.testbed.job;

import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerOutputOperationStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverError;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStarted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStopped;
import org.apache.spark.streaming.scheduler.StreamingListenerStreamingStarted;

import java.nio.file.Path;

/**
 * Per-batch statistics to {@code batches.csv} (one line per completed batch) and receiver events to
 * {@code events.csv}. Written through Spark's public listener API, so it works the same in every mode.
 */
public final class BatchStatsListener implements StreamingListener {

    static final String BATCH_HEADER = "batchTimeMs,submissionMs,processingStartMs,processingEndMs,records,"
            + "records0,records1,schedulingDelayMs,processingDelayMs";

    /** Every generated batch at its submission (planning, for a direct stream): what its inputs hold. */
    public static final String PLANNED_HEADER = "batchTimeMs,submissionMs,records";

    private final CsvFile batches;
    private final CsvFile planned;
    private final CsvFile events;

    BatchStatsListener(Path runDir, CsvFile events) {
        this.batches = new CsvFile(runDir.resolve("batches.csv"), BATCH_HEADER);
        this.planned = new CsvFile(runDir.resolve("planned.csv"), PLANNED_HEADER);
        this.events = events;
    }

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        BatchInfo b = completed.batchInfo();
        long[] perStream = new long[2];
        scala.collection.Iterator<scala.Tuple2<Object, StreamInputInfo>> it = b.streamIdToInputInfo().iterator();
        while (it.hasNext()) {
            scala.Tuple2<Object, StreamInputInfo> e = it.next();
            int id = ((Number) e._1()).intValue();
            if (id >= 0 && id < perStream.length) {
                perStream[id] += e._2().numRecords();
            }
        }
        long start = b.processingStartTime().isDefined() ? (Long) b.processingStartTime().get() : -1;
        long end = b.processingEndTime().isDefined() ? (Long) b.processingEndTime().get() : -1;
        long sched = b.schedulingDelay().isDefined() ? (Long) b.schedulingDelay().get() : -1;
        long proc = b.processingDelay().isDefined() ? (Long) b.processingDelay().get() : -1;
        batches.line(b.batchTime().milliseconds() + "," + b.submissionTime() + "," + start + "," + end + ","
                + b.numRecords() + "," + perStream[0] + "," + perStream[1] + "," + sched + "," + proc);
    }

    @Override
    public void onReceiverStarted(StreamingListenerReceiverStarted started) {
        events.line(System.currentTimeMillis() + ",receiver-started," + started.receiverInfo().streamId() + ","
                + clean(started.receiverInfo().location()) + " executor " + clean(started.receiverInfo().executorId()));
    }

    @Override
    public void onReceiverError(StreamingListenerReceiverError error) {
        events.line(System.currentTimeMillis() + ",receiver-error," + error.receiverInfo().streamId() + ","
                + clean(error.receiverInfo().lastErrorMessage()));
    }

    @Override
    public void onReceiverStopped(StreamingListenerReceiverStopped stopped) {
        events.line(System.currentTimeMillis() + ",receiver-stopped," + stopped.receiverInfo().streamId() + ","
                + clean(stopped.receiverInfo().lastErrorMessage()));
    }

    @Override
    public void onStreamingStarted(StreamingListenerStreamingStarted started) {
        events.line(System.currentTimeMillis() + ",streaming-started,-1," + started.time());
    }

    @Override
    public void onBatchSubmitted(StreamingListenerBatchSubmitted submitted) {
        BatchInfo b = submitted.batchInfo();
        planned.line(b.batchTime().milliseconds() + "," + b.submissionTime() + "," + b.numRecords());
    }

    @Override
    public void onBatchStarted(StreamingListenerBatchStarted started) {
    }

    @Override
    public void onOutputOperationStarted(StreamingListenerOutputOperationStarted started) {
    }

    @Override
    public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted completed) {
    }

    static String clean(String s) {
        return s == null ? "" : s.replaceAll("[,\\r\\n]+", " ");
    }

    void close() {
        batches.close();
        planned.close();
    }
}
