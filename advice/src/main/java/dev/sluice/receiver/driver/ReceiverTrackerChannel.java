package dev.sluice.receiver.driver;

import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.scheduler.ReceiverTracker;

/** Bounds for receiver streams, through Spark's {@code ReceiverTracker.sendRateUpdate} (the RPC Spark's PID uses). */
final class ReceiverTrackerChannel implements RateUpdateChannel {

    private final StreamingContext context;

    ReceiverTrackerChannel(StreamingContext context) {
        this.context = context;
    }

    @Override
    public void send(int streamId, long recordsPerSecond) {
        // Read at each send: the tracker is created when the context starts and replaced by none after it stops.
        ReceiverTracker tracker = context.scheduler().receiverTracker();
        if (tracker != null) {
            tracker.sendRateUpdate(streamId, recordsPerSecond);
        }
    }
}
