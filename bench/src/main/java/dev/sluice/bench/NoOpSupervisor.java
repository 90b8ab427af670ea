package dev.sluice.bench;

import java.nio.ByteBuffer;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StreamBlockId;
import org.apache.spark.streaming.receiver.BlockGenerator;
import org.apache.spark.streaming.receiver.BlockGeneratorListener;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;
import org.apache.spark.util.SystemClock;
import org.openjdk.jmh.infra.Blackhole;

import scala.Option;
import scala.collection.Iterator;
import scala.collection.mutable.ArrayBuffer;

/**
 * A {@link ReceiverSupervisor} with nothing behind it, so that {@code Receiver.store(...)} runs Spark's real delegation
 * ({@code supervisor().pushSingle / pushIterator / pushArrayBuffer}) and the benchmark measures that delegation plus
 * whatever the agent adds in front of it, not the block manager.
 *
 * <p>Spark's constructor attaches the supervisor to the receiver ({@code receiver.attachSupervisor(this)} is its first
 * statement; a second call would fail Spark's assertion). Like {@code ReceiverSupervisorImpl}, it creates its default
 * {@link BlockGenerator} through {@link #createBlockGenerator}; the generator is never started (no timer, no pushing
 * thread) and serves only as the {@code RateLimiter} that Spark's {@code UpdateRateLimit} message reaches, which is
 * where the agent learns a stream's bound.
 *
 * <p>What is stored is consumed the way Spark's block handler consumes it (an iterator is drained element by element,
 * a buffer is taken whole and its size read), into JMH's {@link Blackhole} so the JIT cannot drop the work, and
 * counted. Draining matters: the agent gates an iterator lazily, per element, while Spark consumes it.
 */
public final class NoOpSupervisor extends ReceiverSupervisor {

    private final SparkConf conf;
    private final BlockGenerator defaultBlockGenerator;

    /** Records that reached the supervisor; a plain field: one benchmark thread per receiver. */
    private long pushed;
    private Blackhole sink;

    public NoOpSupervisor(Receiver<?> receiver, SparkConf conf) {
        super(receiver, conf);
        this.conf = conf;
        this.defaultBlockGenerator = createBlockGenerator(new IgnoringListener());
    }

    /** The generator Spark's rate updates go to ({@code RateLimiter.updateRate(J)}). */
    public BlockGenerator defaultBlockGenerator() {
        return defaultBlockGenerator;
    }

    public long pushed() {
        return pushed;
    }

    /** Where stored records go: JMH's blackhole of the benchmark thread. */
    public void sinkInto(Blackhole blackhole) {
        this.sink = blackhole;
    }

    @Override
    public void pushSingle(Object data) {
        sink.consume(data);
        pushed++;
    }

    @Override
    public void pushBytes(ByteBuffer bytes, Option<Object> metadata, Option<StreamBlockId> blockId) {
        sink.consume(bytes);
        pushed++;
    }

    @Override
    public void pushIterator(Iterator<?> iterator, Option<Object> metadata, Option<StreamBlockId> blockId) {
        Blackhole bh = sink;
        long n = 0;
        while (iterator.hasNext()) {
            bh.consume(iterator.next());
            n++;
        }
        pushed += n;
    }

    @Override
    public void pushArrayBuffer(ArrayBuffer<?> buffer, Option<Object> metadata, Option<StreamBlockId> blockId) {
        sink.consume(buffer);
        pushed += buffer.size();
    }

    @Override
    public BlockGenerator createBlockGenerator(BlockGeneratorListener listener) {
        return new BlockGenerator(listener, streamId(), conf, new SystemClock());
    }

    @Override
    public void reportError(String message, Throwable error) {
        throw new IllegalStateException("receiver reported an error: " + message, error);
    }

    @Override
    public boolean onReceiverStart() {
        return true;
    }

    /** The generator is never started, so no block is ever generated or pushed. */
    private static final class IgnoringListener implements BlockGeneratorListener {
        @Override
        public void onAddData(Object data, Object metadata) {
        }

        @Override
        public void onGenerateBlock(StreamBlockId blockId) {
        }

        @Override
        public void onPushBlock(StreamBlockId blockId, ArrayBuffer<?> buffer) {
        }

        @Override
        public void onError(String message, Throwable error) {
        }
    }
}
