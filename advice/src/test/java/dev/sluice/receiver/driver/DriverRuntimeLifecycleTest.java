package dev.sluice.receiver.driver;

import dev.sluice.rate.AdaptiveRateEstimator;
import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimator;
import dev.sluice.receiver.executor.RuntimeFixture;
import dev.sluice.receiver.executor.StreamGates;
import dev.sluice.receiver.guard.MemoryGuard;
import dev.sluice.runtime.EstimatorFactory;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceRuntime;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.Time;
import org.apache.spark.streaming.dstream.ReceiverInputDStream;
import org.apache.spark.streaming.receiver.Receiver;
import org.apache.spark.streaming.scheduler.BatchInfo;
import org.apache.spark.streaming.scheduler.OutputOperationInfo;
import org.apache.spark.streaming.scheduler.RateController;
import org.apache.spark.streaming.scheduler.StreamInputInfo;
import org.apache.spark.streaming.scheduler.StreamingListener;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchCompleted;
import org.apache.spark.streaming.scheduler.StreamingListenerBatchSubmitted;
import org.apache.spark.streaming.scheduler.rate.RateEstimator$;
import org.apache.spark.util.ManualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import scala.Option;
import scala.Tuple2;
import scala.collection.immutable.Map$;
import scala.reflect.ClassTag$;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver runtime on real StreamingContexts (Spark 3.5.7, local mode, in this JVM, batch clock
 * {@code spark.streaming.clock=ManualClock}), driven as the advice drives it: {@code onContextStarted} after
 * {@code start()}, {@code onContextStopped} after {@code stop(ZZ)}, {@code skipSparkPublish} at a rate controller's
 * {@code publish}. The contexts are not started (no receiver or timer thread runs): what is judged is Sluice's side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriverRuntimeLifecycleTest {

    private SparkContext sc;

    @BeforeAll
    void sparkContext() {
        sc = new SparkContext(new SparkConf().setMaster("local[2]").setAppName("DriverRuntimeLifecycleTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.streaming.clock", "org.apache.spark.util.ManualClock"));
    }

    @AfterAll
    void stopSpark() {
        sc.stop();
    }

    @AfterEach
    void cleanUp() {
        sc.conf().remove("spark.streaming.backpressure.enabled");
        MemoryGuard.stop();
        for (DriverStream s : DriverStreams.all()) {
            DriverStreams.remove(s);
        }
    }

    private static void install(String... keyValues) {
        Map<String, String> m = new HashMap<String, String>();
        m.put("sluice.guard.enabled", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        SluiceRuntime.install(new RuntimeSettings(m), new EstimatorFactory() {
            @Override
            public RateEstimator create(long batchIntervalMs, int[] streamIds) {
                return new AdaptiveRateEstimator(EstimatorSettings.builder(batchIntervalMs)
                        .slowStart(!"false".equals(m.get("sluice.rate.slowStart"))).build());
            }

            @Override
            public String name() {
                return "adaptive";
            }
        }, null);
        RuntimeFixture.forgetStreams();
    }

    private StreamingContext contextWithReceivers(int receivers) {
        StreamingContext ssc = new StreamingContext(sc, Durations.seconds(1));
        for (int i = 0; i < receivers; i++) {
            ssc.receiverStream(new IdleReceiver(), ClassTag$.MODULE$.<Object>apply(Object.class));
        }
        return ssc;
    }

    /** What Spark does with the agent: stop(ZZ) returns, then the exit advice runs. */
    private static void stop(StreamingContext ssc) {
        ssc.stop(false, false);
        DriverRuntime.onContextStopped(ssc);
    }

    private static ReceiverInputDStream<?> input(StreamingContext ssc, int index) {
        return ssc.graph().getReceiverInputStreams()[index];
    }

    /** The publish advice's arguments: the controller and its {@code $outer} field, read as Byte Buddy reads it. */
    private static boolean skipped(RateController controller, long rate) throws Exception {
        Object outer = controller.getClass().getField("$outer").get(controller);
        return DriverRuntime.skipSparkPublish(controller, outer, rate);
    }

    private static RateController sparkController(ReceiverInputDStream<?> in) {
        Option<RateController> c = in.rateController();
        assertTrue(c.isDefined(), "Spark created no rate controller (back-pressure off?)");
        return c.get();
    }

    /** A batch of {@code records} per stream as Spark reports it: batch time on the ManualClock, stamps on the wall. */
    @SuppressWarnings("unchecked")
    private static BatchInfo batch(long manualTime, long wallSubmitted, boolean completed, long... records) {
        scala.collection.immutable.Map<Object, StreamInputInfo> inputs = Map$.MODULE$.empty();
        for (int i = 0; i < records.length; i++) {
            inputs = inputs.$plus(new Tuple2<Object, StreamInputInfo>(i, new StreamInputInfo(i, records[i],
                    Map$.MODULE$.<String, Object>empty())));
        }
        return new BatchInfo(new Time(manualTime), inputs, wallSubmitted,
                completed ? Option.<Object>apply(wallSubmitted + 2) : Option.empty(),
                completed ? Option.<Object>apply(wallSubmitted + 402) : Option.empty(),
                Map$.MODULE$.<Object, OutputOperationInfo>empty());
    }

    @Test
    void withSparkBackpressureOffSparkPublishesThroughItsOwnController() throws Exception {
        install("sluice.rate.initial", "300");
        StreamingContext ssc = contextWithReceivers(1);
        ReceiverInputDStream<?> in = input(ssc, 0);
        // An input stream with a rate controller of its own while Spark's back-pressure is off (Spark's own tests do it)
        RateController own = in.new ReceiverRateController(in.id(), RateEstimator$.MODULE$.create(sc.conf(),
                Durations.seconds(1)));
        DriverRuntime.onContextStarted(ssc);
        try {
            assertEquals(300, DriverRuntime.contextOf(ssc).stream(in.id()).bound(), "Sluice's initial bound");
            assertFalse(skipped(own, 777), "back-pressure off: Sluice took over a rate controller");
        } finally {
            stop(ssc);
        }
    }

    @Test
    void withSparkBackpressureOnSparkPublishesUntilSluiceHasABoundThenSluiceTakesOver() throws Exception {
        install("sluice.rate.slowStart", "false");
        RateController[] controllers = new RateController[2];
        StreamingContext ssc = startedWithSparkControllers(controllers);
        RateController c0 = controllers[0];
        RateController c1 = controllers[1];
        try {
            assertFalse(skipped(c0, 777), "Sluice has no bound yet: Spark's rate must reach the receiver");
            // The first batch with records of stream 0 only: Sluice holds stream 0 at the rate it showed.
            DriverRuntime.contextOf(ssc).batchSubmitted(SluiceStreamingListener.toSample(
                    batch(1000, System.currentTimeMillis(), false, 2000, 0), 1000, new int[] {0, 1}));
            assertEquals(2000, DriverRuntime.contextOf(ssc).stream(0).bound());
            assertTrue(skipped(c0, 777), "Sluice's bound is in force for stream 0");
            assertFalse(skipped(c1, 777), "stream 1 has no bound of Sluice's: Spark's rate must reach it");
        } finally {
            stop(ssc);
        }
        assertFalse(skipped(c0, 777), "a stopped context's controller is no longer taken over");
    }

    @Test
    void withTheSlowStartEveryStreamHasSluicesBoundFromTheStartAndSparksControllerIsTakenOver() throws Exception {
        install();
        RateController[] controllers = new RateController[2];
        StreamingContext ssc = startedWithSparkControllers(controllers);
        try {
            for (int i = 0; i < controllers.length; i++) {
                assertEquals(100, DriverRuntime.contextOf(ssc).stream(i).bound(), "slow start: sluice.rate.min");
                assertTrue(skipped(controllers[i], 777), "Sluice's start bound is in force for stream " + i);
            }
        } finally {
            stop(ssc);
        }
    }

    /** A started context whose receiver streams each have Spark's own rate controller, Spark's back-pressure on. */
    private StreamingContext startedWithSparkControllers(RateController[] controllers) {
        sc.conf().set("spark.streaming.backpressure.enabled", "true");
        StreamingContext ssc = contextWithReceivers(controllers.length);
        for (int i = 0; i < controllers.length; i++) {
            controllers[i] = sparkController(input(ssc, i));
        }
        DriverRuntime.onContextStarted(ssc);
        return ssc;
    }

    @Test
    void aStoppedContextLeavesNothingRunningNorReachable() throws Exception {
        install("sluice.rate.initial", "300", "sluice.guard.enabled", "true");
        StreamingContext ssc = contextWithReceivers(1);
        DriverRuntime.onContextStarted(ssc);
        SluiceStreamingListener listener = null;
        for (StreamingListener l : ssc.scheduler().listenerBus().listeners()) {
            if (l instanceof SluiceStreamingListener) {
                listener = (SluiceStreamingListener) l;
            }
        }
        assertNotNull(listener, "the listener was not registered");
        StreamGates.of(0); // local mode: the receiver's first store in this JVM starts the memory guard
        assertTrue(guardThreadAlive(), "the memory guard did not start");

        stop(ssc);

        assertFalse(ssc.scheduler().listenerBus().listeners().contains(listener), "listener still registered");
        assertFalse(guardThreadAlive(), "the memory guard thread outlived its StreamingContext");
        assertTrue(DriverStreams.all().isEmpty(), "a stopped context's streams are still in the metrics");
        assertEquals(0, DriverRuntime.attachedContexts());
        WeakReference<StreamingContext> ref = new WeakReference<StreamingContext>(ssc);
        ssc = null;
        listener = null;
        for (int i = 0; i < 10 && ref.get() != null; i++) {
            System.gc();
        }
        assertNull(ref.get(), "the stopped StreamingContext is still reachable");
    }

    @Test
    void severalContextsOneAfterAnotherInheritNothing() throws Exception {
        install("sluice.rate.slowStart", "false");
        sc.conf().set("spark.streaming.backpressure.enabled", "true");
        StreamingContext first = contextWithReceivers(1);
        RateController firstController = sparkController(input(first, 0));
        DriverRuntime.onContextStarted(first);
        DriverRuntime.contextOf(first).batchSubmitted(SluiceStreamingListener.toSample(
                batch(1000, System.currentTimeMillis(), false, 3000), 1000, new int[] {0}));
        DriverStream firstStream = DriverRuntime.contextOf(first).stream(0);
        assertEquals(3000, firstStream.bound());
        stop(first);

        StreamingContext second = contextWithReceivers(1);
        RateController secondController = sparkController(input(second, 0));
        assertEquals(0, input(second, 0).id(), "stream ids restart at 0 in a new StreamingContext");
        DriverRuntime.onContextStarted(second);
        try {
            List<DriverStream> live = DriverStreams.all();
            assertEquals(1, live.size());
            assertNotSame(firstStream, live.get(0));
            assertEquals(-1, live.get(0).bound(), "the new context's stream 0 inherited a bound");
            assertFalse(skipped(secondController, 777), "no bound of Sluice's in the new context yet");
            // Batch clock restarts too (a new ManualClock): the estimator is new, not fed the first context's times.
            DriverRuntime.contextOf(second).batchSubmitted(SluiceStreamingListener.toSample(
                    batch(1000, System.currentTimeMillis(), false, 500), 1000, new int[] {0}));
            assertEquals(500, live.get(0).bound(), "the new context's estimator is not the first one's");
            assertTrue(skipped(secondController, 777));
            assertFalse(skipped(firstController, 777), "the stopped context's controller is not the new one's");
            assertEquals(1, DriverRuntime.attachedContexts());
        } finally {
            stop(second);
        }
    }

    /** Spark's ManualClock drives the batch times; the listener sees Spark's wall-clock stamps: no backlog. */
    @Test
    void aManualClockIsNoBacklogThroughTheListener() {
        install();
        StreamingContext ssc = contextWithReceivers(1);
        DriverRuntime.onContextStarted(ssc);
        try {
            SluiceStreamingListener listener = null;
            for (StreamingListener l : ssc.scheduler().listenerBus().listeners()) {
                if (l instanceof SluiceStreamingListener) {
                    listener = (SluiceStreamingListener) l;
                }
            }
            ManualClock clock = new ManualClock(0);
            long wall = System.currentTimeMillis();
            for (int k = 1; k <= 6; k++) {
                clock.advance(1000);
                long submitted = wall + k * 1000L;
                listener.onBatchSubmitted(new StreamingListenerBatchSubmitted(
                        batch(clock.getTimeMillis(), submitted, false, 4000)));
                listener.onBatchCompleted(new StreamingListenerBatchCompleted(
                        batch(clock.getTimeMillis(), submitted, true, 4000)));
            }
            long bound = DriverRuntime.contextOf(ssc).stream(0).bound();
            assertTrue(bound > 5000, "4 000 records in 400 ms per 1 s batch: near 9 900/s expected, was " + bound);
        } finally {
            stop(ssc);
        }
    }

    private static boolean guardThreadAlive() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("sluice-memory-guard") && t.isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** A receiver that is never started here. */
    static final class IdleReceiver extends Receiver<Object> {
        private static final long serialVersionUID = 1L;

        IdleReceiver() {
            super(StorageLevel.MEMORY_ONLY());
        }

        @Override
        public void onStart() {
        }

        @Override
        public void onStop() {
        }
    }
}
