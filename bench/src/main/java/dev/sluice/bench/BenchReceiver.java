package dev.sluice.bench;

import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;

/**
 * A real {@link Receiver} that never starts a source: the benchmark thread itself plays the receiving thread and calls
 * the {@code store(...)} overloads, which Spark implements (and the agent advises) in the {@code Receiver} class itself.
 */
public final class BenchReceiver extends Receiver<Object> {

    private static final long serialVersionUID = 1L;

    public BenchReceiver(int streamId) {
        super(StorageLevel.MEMORY_ONLY());
        // What ReceiverTracker does before the receiver is shipped; the advice reads the stream id through streamId().
        setReceiverId(streamId);
    }

    @Override
    public void onStart() {
    }

    @Override
    public void onStop() {
    }
}
