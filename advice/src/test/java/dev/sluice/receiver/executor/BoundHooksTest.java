package dev.sluice.receiver.executor;

import org.apache.spark.SparkConf;
import org.apache.spark.storage.StreamBlockId;
import org.apache.spark.streaming.receiver.BlockGenerator;
import org.apache.spark.streaming.receiver.BlockGeneratorListener;
import org.apache.spark.util.SystemClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning the bound from a real Spark BlockGenerator (its private receiverId field). */
class BoundHooksTest {

    private static final BlockGeneratorListener NOOP = new BlockGeneratorListener() {
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
    };

    @BeforeEach
    void fresh() {
        RuntimeFixture.install("sluice.strategy", "drop");
    }

    /** What the advice does: Spark's own updateRate runs with the rate BoundHooks returns. */
    private static void update(BlockGenerator generator, long rate) {
        generator.updateRate(BoundHooks.onUpdateRate(generator, rate));
    }

    /** What a receiver asking Spark for its limit sees with the advice: Spark's value, then the exit advice. */
    private static long limit(BlockGenerator generator) {
        return BoundHooks.currentLimit(generator, generator.getCurrentLimit());
    }

    private static BlockGenerator generator(int streamId, String... conf) {
        SparkConf c = new SparkConf(false);
        for (int i = 0; i < conf.length; i += 2) {
            c.set(conf[i], conf[i + 1]);
        }
        return new BlockGenerator(NOOP, streamId, c, new SystemClock());
    }

    @Test
    void learnsTheBoundForTheGeneratorsStreamAndLeavesSparksLimiterUnlimited() throws Exception {
        BlockGenerator generator = generator(7);
        assertEquals(7, BoundHooks.streamIdOf(generator));
        assertEquals(Long.MAX_VALUE, BoundHooks.onUpdateRate(generator, 1234), "Spark's limiter is set to unlimited");
        assertEquals(1234.0, StreamGates.of(7).effectiveBound(), 1e-9);
        assertEquals(1234L, BoundHooks.currentLimit(generator, Long.MAX_VALUE));
        assertEquals(5, BoundHooks.onUpdateRate(new Object(), 5), "not a BlockGenerator: Spark's update runs as sent");
    }

    /** The usual recipe: Spark's back-pressure on with an initial rate. The initial rate holds until the first bound. */
    @Test
    void anInitialRateHoldsUntilTheFirstBoundAndNoLonger() {
        BlockGenerator generator = generator(12, "spark.streaming.backpressure.initialRate", "500");
        assertEquals(500L, limit(generator), "before any bound Spark's initial rate is in force");
        update(generator, 6000);
        assertEquals(6000L, limit(generator), "the estimator's bound, not min(initialRate, bound)");
        assertEquals(Long.MAX_VALUE, generator.getCurrentLimit(), "Spark's own limiter no longer holds 500");
        update(generator, 300);
        assertEquals(300L, limit(generator));
    }

    @Test
    void aUsersMaxRateStillCapsSparksLimiterAndTheReportedLimit() {
        BlockGenerator generator = generator(13, "spark.streaming.backpressure.initialRate", "500",
                "spark.streaming.receiver.maxRate", "4000");
        assertEquals(500L, limit(generator));
        update(generator, 6000);
        assertEquals(4000L, generator.getCurrentLimit(), "Spark's limiter at the user's maxRate");
        assertEquals(4000L, limit(generator), "the limit in force is the lower of the two");
        update(generator, 1000);
        assertEquals(1000L, limit(generator));
    }

    @Test
    void streamsWithTheirOwnGeneratorKeepSparksLimiter() {
        BlockGenerator generator = generator(8, "spark.streaming.backpressure.initialRate", "500");
        StreamGates.of(8).markOwnBlockGenerator();
        update(generator, 700);
        assertEquals(700L, generator.getCurrentLimit(), "Spark's limiter took the bound as sent");
        assertEquals(700L, limit(generator));
    }

    @Test
    void nonPositiveRatesAreIgnoredLikeSparkDoes() {
        BlockGenerator generator = generator(9);
        assertEquals(0, BoundHooks.onUpdateRate(generator, 0));
        assertTrue(Double.isInfinite(StreamGates.of(9).effectiveBound()));
    }

    /** A ReceiverSupervisor test double: only its stream id matters here. */
    private static org.apache.spark.streaming.receiver.ReceiverSupervisor supervisorFor(int streamId) {
        return new RecordingSupervisor(new TestReceiver(streamId));
    }

    @Test
    void aGeneratorWithTheDefaultListenerChangesNothing() {
        BoundHooks.onBlockGeneratorCreated(supervisorFor(10), null, NOOP, NOOP, null);
        assertFalse(StreamGates.of(10).hasOwnBlockGenerator());
    }

    @Test
    void aGeneratorWithAnotherListenerMarksTheKinesisPattern() {
        BlockGeneratorListener own = new BlockGeneratorListener() {
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
        };
        BoundHooks.onBlockGeneratorCreated(supervisorFor(11), null, own, NOOP, null);
        assertTrue(StreamGates.of(11).hasOwnBlockGenerator());
    }
}
