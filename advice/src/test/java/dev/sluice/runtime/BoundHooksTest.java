package dev.sluice.runtime;

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

    @Test
    void learnsTheBoundForTheGeneratorsStreamAndSkipsSparksLimiter() throws Exception {
        BlockGenerator generator = new BlockGenerator(NOOP, 7, new SparkConf(false), new SystemClock());
        assertEquals(7, BoundHooks.streamIdOf(generator));
        assertTrue(BoundHooks.onUpdateRate(generator, 1234), "Spark's setRate is skipped");
        assertEquals(1234.0, StreamGates.of(7).effectiveBound(), 1e-9);
        assertEquals(1234L, BoundHooks.currentLimit(generator, Long.MAX_VALUE));
        assertFalse(BoundHooks.onUpdateRate(new Object(), 5), "not a BlockGenerator: Spark goes on");
    }

    @Test
    void streamsWithTheirOwnGeneratorKeepSparksLimiter() {
        BlockGenerator generator = new BlockGenerator(NOOP, 8, new SparkConf(false), new SystemClock());
        StreamGates.of(8).markOwnBlockGenerator();
        assertFalse(BoundHooks.onUpdateRate(generator, 500), "Spark's setRate runs");
        assertEquals(Long.MAX_VALUE, BoundHooks.currentLimit(generator, Long.MAX_VALUE));
    }

    @Test
    void nonPositiveRatesAreIgnoredLikeSparkDoes() {
        BlockGenerator generator = new BlockGenerator(NOOP, 9, new SparkConf(false), new SystemClock());
        BoundHooks.onUpdateRate(generator, 0);
        assertTrue(Double.isInfinite(StreamGates.of(9).effectiveBound()));
    }

    /** A ReceiverSupervisor test double: only its stream id matters here. */
    private static org.apache.spark.streaming.receiver.ReceiverSupervisor supervisorFor(int streamId) {
        return new RecordingSupervisor(new TestReceiver(streamId));
    }

    @Test
    void aGeneratorWithTheDefaultListenerChangesNothing() {
        BoundHooks.onBlockGeneratorCreated(supervisorFor(10), NOOP, NOOP, null);
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
        BoundHooks.onBlockGeneratorCreated(supervisorFor(11), own, NOOP, null);
        assertTrue(StreamGates.of(11).hasOwnBlockGenerator());
    }
}
