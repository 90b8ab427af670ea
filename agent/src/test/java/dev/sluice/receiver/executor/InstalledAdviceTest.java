package dev.sluice.receiver.executor;

import dev.sluice.agent.SluiceInstaller;
import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.strategy.builtin.Clock;
import dev.sluice.strategy.builtin.StreamCounters;
import net.bytebuddy.agent.ByteBuddyAgent;
import org.apache.spark.SparkConf;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.storage.StreamBlockId;
import org.apache.spark.streaming.receiver.BlockGenerator;
import org.apache.spark.streaming.receiver.BlockGeneratorListener;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;
import org.apache.spark.util.SystemClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.collection.mutable.ArrayBuffer;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit-level check of the advice wiring: the real installer on a real Spark Receiver whose supervisor is a test double
 * (records what Spark would have stored). The multi-JVM behaviour is the smoke tests' job.
 */
class InstalledAdviceTest {

    static final class RecordingSupervisor extends ReceiverSupervisor {
        final List<Object> singles = new ArrayList<>();
        final List<ArrayBuffer<?>> buffers = new ArrayList<>();
        int iteratedElements;
        final List<ByteBuffer> bytes = new ArrayList<>();

        RecordingSupervisor(Receiver<?> receiver) {
            super(receiver, new SparkConf(false));
        }

        @Override
        public void pushSingle(Object data) {
            singles.add(data);
        }

        @Override
        public void pushBytes(ByteBuffer b, Option<Object> md, Option<StreamBlockId> id) {
            bytes.add(b);
        }

        @Override
        public void pushIterator(scala.collection.Iterator<?> it, Option<Object> md, Option<StreamBlockId> id) {
            while (it.hasNext()) {
                it.next();
                iteratedElements++;
            }
        }

        @Override
        public void pushArrayBuffer(ArrayBuffer<?> b, Option<Object> md, Option<StreamBlockId> id) {
            buffers.add(b);
        }

        @Override
        public BlockGenerator createBlockGenerator(BlockGeneratorListener listener) {
            return null;
        }

        @Override
        public void reportError(String message, Throwable throwable) {
        }

        /** Counted down each time Spark's startReceiver registers the receiver (after the lifecycle advice ran). */
        volatile java.util.concurrent.CountDownLatch starts = new java.util.concurrent.CountDownLatch(0);

        @Override
        public boolean onReceiverStart() {
            starts.countDown();
            return true;
        }
    }

    static final class TestReceiver extends Receiver<Object> {
        private static final long serialVersionUID = 1L;

        TestReceiver(int id) {
            super(StorageLevel.MEMORY_ONLY());
            setReceiverId(id);
        }

        @Override
        public void onStart() {
        }

        @Override
        public void onStop() {
        }
    }

    @BeforeAll
    static void installAgent() throws ClassNotFoundException {
        // Load the hooked classes first, so the advice arrives by retransformation (the agentmain path).
        Class.forName("org.apache.spark.streaming.receiver.Receiver");
        Class.forName("org.apache.spark.streaming.receiver.RateLimiter");
        Instrumentation instrumentation = ByteBuddyAgent.install();
        SluiceInstaller.install(instrumentation, false);
    }

    @BeforeEach
    void settings() {
        Map<String, String> m = new HashMap<>();
        m.put("sluice.strategy", "drop");
        m.put("sluice.guard.enabled", "false");
        SluiceRuntime.install(new RuntimeSettings(m), null, null);
        AdviceErrors.resetForTests();
        // Virtual time: a throttled store "waits" by moving this clock, never the wall clock.
        StreamGates.resetForTests(new SparkExecutorConf(200, false), new Clock() {
            private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

            @Override
            public long nanoTime() {
                return now.get();
            }

            @Override
            public void sleepNanos(long nanos) {
                now.addAndGet(Math.max(1, nanos));
            }
        });
    }

    private static RecordingSupervisor attach(Receiver<?> r) {
        return new RecordingSupervisor(r); // ReceiverSupervisor's constructor attaches itself
    }

    @Test
    void storeSingleIsSkippedWhenDropped() {
        TestReceiver r = new TestReceiver(0);
        RecordingSupervisor s = attach(r);
        StreamGates.of(0).learnBound(5); // burst 1
        for (int i = 0; i < 50; i++) {
            r.store("x" + i);
        }
        StreamCounters c = StreamGates.of(0).counters();
        assertEquals(s.singles.size(), c.stored(), "Spark saw exactly the stored records");
        assertEquals(c.admitted(), c.stored());
        assertTrue(c.admitted() < 50 && c.admitted() >= 1, "admitted " + c.admitted());
        assertEquals(50, c.offered());
        assertEquals(c.offered(), c.admitted() + c.dropped());
    }

    @Test
    void storeArrayBufferGetsANewBufferTheCallersIsUntouched() {
        TestReceiver r = new TestReceiver(1);
        RecordingSupervisor s = attach(r);
        StreamGates.of(1).learnBound(100); // burst 20
        ArrayBuffer<Object> mine = new ArrayBuffer<>(500);
        for (int i = 0; i < 500; i++) {
            mine.$plus$eq(i);
        }
        r.store(mine);
        assertEquals(500, mine.length());
        assertEquals(1, s.buffers.size());
        assertTrue(s.buffers.get(0) != mine);
        StreamCounters c = StreamGates.of(1).counters();
        assertEquals(s.buffers.get(0).length(), c.stored(), "what Spark received");
        assertEquals(c.admitted(), c.stored());
        assertEquals(500, c.offered());
        assertEquals(c.offered(), c.admitted() + c.dropped());
        assertTrue(s.buffers.get(0).length() < 500);
    }

    @Test
    void storeIteratorsAreGatedLazily() {
        TestReceiver r = new TestReceiver(2);
        RecordingSupervisor s = attach(r);
        StreamGates.of(2).learnBound(1000); // burst 200: the drop overload cuts, the throttled one waits (virtually)
        List<Object> source = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            source.add(i);
        }
        r.store(source.iterator()); // java.util.Iterator overload
        r.store(scala.collection.JavaConverters.asScalaIterator(source.iterator()), "md"); // scala + metadata
        StreamCounters c = StreamGates.of(2).counters();
        assertEquals(800, c.offered());
        assertEquals(s.iteratedElements, c.stored(), "what Spark consumed");
        assertEquals(c.admitted(), c.stored());
        assertEquals(c.offered(), c.admitted() + c.dropped());
        assertEquals("throttle", StreamGates.of(2).strategyName(), "metadata store: reliable, drop refused");
    }

    @Test
    void storeByteBufferIsPassedThroughUntouched() {
        TestReceiver r = new TestReceiver(3);
        RecordingSupervisor s = attach(r);
        ByteBuffer b = ByteBuffer.wrap(new byte[100]);
        b.position(10);
        r.store(b);
        assertSame(b, s.bytes.get(0));
        assertEquals(10, b.position());
        assertEquals(1, StreamGates.of(3).counters().admitted());
        assertEquals(1, StreamGates.of(3).counters().stored());
    }

    @Test
    void aFailingSourceReachesTheCallerOfTheAdvisedStoreAndNothingIsStoredTwice() {
        TestReceiver r = new TestReceiver(5);
        RecordingSupervisor s = attach(r);
        java.util.Iterator<Object> failing = new java.util.Iterator<Object>() {
            int n;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object next() {
                if (++n == 3) {
                    throw new IllegalStateException("source broke");
                }
                return n;
            }
        };
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> r.store(failing));
        assertEquals("source broke", e.getMessage());
        assertEquals(2, s.iteratedElements, "Spark's own store consumed what the source gave, once");
        assertEquals(0, AdviceErrors.total(), "the caller's error is not Sluice's");
    }

    @Test
    void updateRateIsLearnedAndSparksLimiterIsLeftUnlimited() throws Exception {
        BlockGenerator g = generator(4, new SparkConf(false));
        g.updateRate(777);
        assertEquals(777.0, StreamGates.of(4).learnedBound(), 1e-9);
        assertEquals(777L, g.getCurrentLimit(), "getCurrentLimit reports Sluice's bound");
        assertTrue(sparkRate(g) > 1e15, "Spark's own limiter was not set: " + sparkRate(g));
    }

    private static BlockGenerator generator(int streamId, SparkConf conf) {
        return new BlockGenerator(new BlockGeneratorListener() {
            @Override
            public void onAddData(Object data, Object metadata) {
            }

            @Override
            public void onGenerateBlock(StreamBlockId blockId) {
            }

            @Override
            public void onPushBlock(StreamBlockId blockId, ArrayBuffer<?> arrayBuffer) {
            }

            @Override
            public void onError(String message, Throwable throwable) {
            }
        }, streamId, conf, new SystemClock());
    }

    /**
     * The usual recipe, back-pressure on with an initial rate: the initial rate holds until the driver's first bound,
     * then the bound (not min(initialRate, bound)) is the limit, and Spark's own limiter no longer holds the initial rate.
     */
    @Test
    void sparksInitialRateIsNotAPermanentCap() {
        BlockGenerator g = generator(5, new SparkConf(false)
                .set("spark.streaming.backpressure.enabled", "true")
                .set("spark.streaming.backpressure.initialRate", "500"));
        assertEquals(500L, g.getCurrentLimit(), "before any bound: Spark's initial rate");
        g.updateRate(6000);
        assertEquals(6000L, g.getCurrentLimit(), "the estimator's bound is the limit in force");
        assertTrue(sparkRate(g) > 1e15, "Spark's limiter still holds its initial rate: " + sparkRate(g));
    }

    @Test
    void aUsersMaxRateStillCapsSparksLimiter() {
        BlockGenerator g = generator(6, new SparkConf(false)
                .set("spark.streaming.backpressure.initialRate", "500")
                .set("spark.streaming.receiver.maxRate", "4000"));
        g.updateRate(6000);
        assertEquals(4000.0, sparkRate(g), 1e-6);
        assertEquals(4000L, g.getCurrentLimit());
    }

    private static double sparkRate(BlockGenerator g) {
        try {
            Method limiter = org.apache.spark.streaming.receiver.RateLimiter.class.getDeclaredMethod("rateLimiter");
            limiter.setAccessible(true);
            Object guava = limiter.invoke(g);
            return (Double) guava.getClass().getMethod("getRate").invoke(guava);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Spark's own receiver lifecycle (ReceiverSupervisor.stopReceiver) retires the stream's executor state. */
    @Test
    void aStoppedReceiverLeavesNoStreamBehind() {
        TestReceiver r = new TestReceiver(8);
        RecordingSupervisor s = attach(r);
        s.startReceiver();
        r.store("x");
        assertEquals(1, StreamGates.all().size());
        s.stopReceiver("done", Option.empty());
        assertTrue(StreamGates.all().isEmpty(), "the stopped receiver's stream is still live: " + StreamGates.all());
    }

    /**
     * The next receiver with the same id (stream ids restart at 0 in a new StreamingContext) inherits nothing from the
     * stopped one: ReceiverSupervisor.startReceiver begins a new incarnation.
     */
    @Test
    void theNextReceiverWithTheSameIdInheritsNothing() {
        RecordingSupervisor s1 = startedReliableWithBound(7, 50);
        s1.stopReceiver("done", Option.empty());

        TestReceiver next = new TestReceiver(7);
        RecordingSupervisor s2 = attach(next);
        s2.startReceiver();
        for (int i = 0; i < 50; i++) {
            next.store("x" + i);
        }
        ManagedStream fresh = StreamGates.existing(7);
        assertEquals("drop", fresh.strategyName(), "inherited the reliable receiver's throttle");
        assertTrue(Double.isNaN(fresh.learnedBound()), "inherited the bound " + fresh.learnedBound());
        assertEquals(50, s2.singles.size(), "unbounded: every record stored");
        assertEquals(50, fresh.counters().offered());
        s2.stopReceiver("done", Option.empty());
    }

    /** A receiver started through Spark, made reliable by a metadata store (drop refused), with a bound from the driver. */
    private static RecordingSupervisor startedReliableWithBound(int streamId, long bound) {
        TestReceiver r = new TestReceiver(streamId);
        RecordingSupervisor s = attach(r);
        s.startReceiver();
        r.store(scala.collection.JavaConverters.asScalaIterator(java.util.Arrays.<Object>asList(1, 2).iterator()),
                "md");
        generator(streamId, new SparkConf(false)).updateRate(bound);
        assertEquals("throttle", StreamGates.existing(streamId).strategyName());
        return s;
    }

    /** Spark's own restartReceiver (stop, then start on Spark's executor thread): a new incarnation that keeps the bound. */
    @Test
    void aRestartThroughSparkStartsANewIncarnation() throws Exception {
        RecordingSupervisor s = startedReliableWithBound(9, 300);
        ManagedStream before = StreamGates.existing(9);

        s.starts = new java.util.concurrent.CountDownLatch(1);
        s.restartReceiver("test restart", Option.empty(), 0);
        assertTrue(s.starts.await(30, java.util.concurrent.TimeUnit.SECONDS), "Spark did not restart the receiver");

        ManagedStream after = StreamGates.existing(9);
        assertTrue(after != before && before.isRetired(), "the restart kept the old incarnation");
        assertEquals("drop", after.strategyName(), "flags are derived anew");
        assertEquals(300.0, after.effectiveBound(), 1e-9, "the driver's bound continues");
        s.stopReceiver("done", Option.empty());
    }
}
