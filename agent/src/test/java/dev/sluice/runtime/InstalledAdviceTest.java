package dev.sluice.runtime;

import dev.sluice.agent.SluiceInstaller;
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

        @Override
        public boolean onReceiverStart() {
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
        BlockGenerator g = new BlockGenerator(new BlockGeneratorListener() {
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
        }, 4, new SparkConf(false), new SystemClock());
        g.updateRate(777);
        assertEquals(777.0, StreamGates.of(4).learnedBound(), 1e-9);
        assertEquals(777L, g.getCurrentLimit(), "getCurrentLimit reports Sluice's bound");
        Method limiter = org.apache.spark.streaming.receiver.RateLimiter.class.getDeclaredMethod("rateLimiter");
        limiter.setAccessible(true);
        Object guava = limiter.invoke(g);
        double sparkRate = (Double) guava.getClass().getMethod("getRate").invoke(guava);
        assertTrue(sparkRate > 1e15, "Spark's own limiter was not set: " + sparkRate);
    }
}
