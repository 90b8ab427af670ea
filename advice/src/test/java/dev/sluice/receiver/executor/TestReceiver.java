package dev.sluice.receiver.executor;

import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;

/** A real Spark Receiver subclass with a chosen stream id; nothing is started. */
public class TestReceiver extends Receiver<Object> {
    private static final long serialVersionUID = 1L;

    public TestReceiver(int streamId) {
        super(StorageLevel.MEMORY_ONLY());
        setReceiverId(streamId);
    }

    @Override
    public void onStart() {
    }

    @Override
    public void onStop() {
    }
}
