package dev.sluice.receiver.driver;

import dev.sluice.rate.BatchSample;
import dev.sluice.runtime.AdviceErrors;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import org.apache.spark.streaming.scheduler.StreamingListenerReceiverStarted;
import scala.Option;

/**
 * The listener Sluice registers on each StreamingContext. {@code StreamingListener} is a Scala trait compiled to an
 * interface with default methods (2.12 and 2.13), so only three methods are implemented. Conversions use only Scala
 * members that link on both lines ({@code Map.get}, {@code Option.isDefined/get}).
 * Runs on Spark's listener-bus thread; a failure here is contained and counted, never thrown back at Spark.
 */
public final class SluiceStreamingListener implements StreamingListener {

    private final DriverContext context;

    SluiceStreamingListener(DriverContext context) {
        this.context = context;
    }

    @Override
    public void onBatchSubmitted(StreamingListenerBatchSubmitted event) {
        try {
            context.batchSubmitted(toSample(event.batchInfo(), context.batchIntervalMs(), context.streamIds()));
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STREAMING_LISTENER, t);
        }
    }

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted event) {
        try {
            context.batchCompleted(toSample(event.batchInfo(), context.batchIntervalMs(), context.streamIds()));
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STREAMING_LISTENER, t);
        }
    }

    @Override
    public void onReceiverStarted(StreamingListenerReceiverStarted event) {
        try {
            context.receiverStarted(event.receiverInfo().streamId());
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STREAMING_LISTENER, t);
        }
    }

    static BatchSample toSample(BatchInfo info, long batchIntervalMs, int[] streamIds) {
        scala.collection.immutable.Map<Object, StreamInputInfo> inputs = info.streamIdToInputInfo();
        long[] records = new long[streamIds.length];
        for (int i = 0; i < streamIds.length; i++) {
            Option<StreamInputInfo> input = inputs.get(Integer.valueOf(streamIds[i]));
            records[i] = input.isDefined() ? input.get().numRecords() : 0;
        }
        return new BatchSample(info.batchTime().milliseconds(), batchIntervalMs, info.submissionTime(),
                millisOrMinusOne(info.processingStartTime()), millisOrMinusOne(info.processingEndTime()), streamIds,
                records);
    }

    private static long millisOrMinusOne(Option<Object> time) {
        return time.isDefined() ? ((Number) time.get()).longValue() : -1;
    }
}
