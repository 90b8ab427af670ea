package dev.sluice.receiver.executor;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StreamBlockId;
import org.apache.spark.streaming.receiver.BlockGenerator;
import org.apache.spark.streaming.receiver.BlockGeneratorListener;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;
import scala.Option;
import scala.collection.Iterator;
import scala.collection.mutable.ArrayBuffer;

import java.nio.ByteBuffer;

/**
 * A real ReceiverSupervisor (Spark's constructor attaches it) that records how records reach it; never started. With a
 * {@link BlockGenerator}, {@code pushSingle} adds to it as Spark's own supervisor does; with {@code failAfterSingles}
 * set, {@code pushSingle} throws once that many records went through (a stopped BlockGenerator does the same).
 */
final class RecordingSupervisor extends ReceiverSupervisor {
    BlockGenerator generator;
    long failAfterSingles = Long.MAX_VALUE;
    long singles;
    long iteratorCalls;
    long iteratorRecords;

    RecordingSupervisor(Receiver<?> receiver) {
        super(receiver, new SparkConf());
    }

    @Override
    public void pushSingle(Object data) {
        if (singles >= failAfterSingles) {
            throw new IllegalStateException("Cannot add data as BlockGenerator has not been started or has been "
                    + "stopped");
        }
        if (generator != null) {
            generator.addData(data);
        }
        singles++;
    }

    @Override
    public void pushBytes(ByteBuffer bytes, Option<Object> metadata, Option<StreamBlockId> blockId) {
    }

    @Override
    public void pushIterator(Iterator<?> iterator, Option<Object> metadata, Option<StreamBlockId> blockId) {
        iteratorCalls++;
        while (iterator.hasNext()) {
            iterator.next();
            iteratorRecords++;
        }
    }

    @Override
    public void pushArrayBuffer(ArrayBuffer<?> buffer, Option<Object> metadata, Option<StreamBlockId> blockId) {
    }

    @Override
    public BlockGenerator createBlockGenerator(BlockGeneratorListener listener) {
        return null;
    }

    @Override
    public void reportError(String message, Throwable error) {
    }

    @Override
    public boolean onReceiverStart() {
        return true;
    }
}
