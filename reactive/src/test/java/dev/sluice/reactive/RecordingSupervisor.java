package dev.sluice.reactive;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StreamBlockId;
import org.apache.spark.streaming.receiver.BlockGenerator;
import org.apache.spark.streaming.receiver.BlockGeneratorListener;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;

import scala.Option;
import scala.collection.mutable.ArrayBuffer;

/**
 * Spark's own {@link ReceiverSupervisor} (start, stop, restart with delay all run as in an executor), with the
 * storage end recorded in memory instead of the block manager, and a settable rate limit.
 */
final class RecordingSupervisor extends ReceiverSupervisor {

    final List<Object> stored = new CopyOnWriteArrayList<>();
    final AtomicInteger blocks = new AtomicInteger();
    final AtomicInteger singleStores = new AtomicInteger();
    final List<String> errors = new CopyOnWriteArrayList<>();
    volatile long rateLimit = Long.MAX_VALUE;
    private final CountDownLatch receiverStopped = new CountDownLatch(1);

    RecordingSupervisor(Receiver<?> receiver) {
        super(receiver, new SparkConf(false));
    }

    @Override
    public long getCurrentRateLimit() {
        return rateLimit;
    }

    @Override
    public void pushSingle(Object data) {
        singleStores.incrementAndGet();
        stored.add(data);
    }

    @Override
    public void pushBytes(ByteBuffer bytes, Option<Object> metadata, Option<StreamBlockId> blockId) {
        throw new UnsupportedOperationException("the reactive receiver stores records, not bytes");
    }

    @Override
    public void pushIterator(scala.collection.Iterator<?> iterator, Option<Object> metadata,
                             Option<StreamBlockId> blockId) {
        blocks.incrementAndGet();
        while (iterator.hasNext()) {
            stored.add(iterator.next());
        }
    }

    @Override
    public void pushArrayBuffer(ArrayBuffer<?> buffer, Option<Object> metadata, Option<StreamBlockId> blockId) {
        blocks.incrementAndGet();
        for (int i = 0; i < buffer.length(); i++) {
            stored.add(buffer.apply(i));
        }
    }

    @Override
    public BlockGenerator createBlockGenerator(BlockGeneratorListener listener) {
        throw new UnsupportedOperationException("not used by the reactive receiver");
    }

    @Override
    public void reportError(String message, Throwable error) {
        errors.add(message);
    }

    @Override
    public boolean onReceiverStart() {
        return true;
    }

    /** Spark calls this after the receiver's {@code onStop} returned, also when the stop is half of a restart. */
    @Override
    public void onReceiverStop(String message, Option<Throwable> error) {
        receiverStopped.countDown();
    }

    /** Liveness only: waits for the first time Spark stopped the receiver (from whichever thread). */
    void awaitReceiverStopped() throws InterruptedException {
        if (!receiverStopped.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the receiver was never stopped");
        }
    }
}
