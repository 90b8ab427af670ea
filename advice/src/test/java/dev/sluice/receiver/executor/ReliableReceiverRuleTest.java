package dev.sluice.receiver.executor;

import org.junit.jupiter.api.Test;
import scala.collection.mutable.ArrayBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReliableReceiverRuleTest {

    private static ArrayBuffer<Object> buffer(int n) {
        ArrayBuffer<Object> b = new ArrayBuffer<Object>(n);
        for (int i = 0; i < n; i++) {
            b.$plus$eq(i);
        }
        return b;
    }

    @Test
    void metadataStoreRefusesALossyStrategy() {
        RuntimeFixture.install(new VirtualClock(), "sluice.strategy", "drop");
        StreamGates.of(0).learnBound(500); // drop would cut 200 records to ~100; throttle waits (virtual) time instead
        ArrayBuffer<?> out = ReceiverHooks.gateArrayBuffer(new TestReceiver(0), buffer(200), true);
        assertEquals("throttle", StreamGates.of(0).strategyName());
        assertEquals(200, out.length(), "throttle loses nothing");
        assertEquals(0, StreamGates.of(0).counters().dropped());
        assertEquals(200, StreamGates.of(0).counters().stored());
        assertTrue(StreamGates.of(0).counters().throttledNanos() > 0, "it waited for the bound");
    }

    @Test
    void writeAheadLogRefusesALossyStrategyFromTheStart() {
        RuntimeFixture.install(true, "sluice.strategy", "sample");
        assertEquals("throttle", StreamGates.of(0).strategyName());
    }

    @Test
    void allowLossKeepsTheLossyStrategy() {
        RuntimeFixture.install("sluice.strategy", "drop", "sluice.reliable.allowLoss", "true");
        StreamGates.of(0).learnBound(50);
        ArrayBuffer<?> out = ReceiverHooks.gateArrayBuffer(new TestReceiver(0), buffer(200), true);
        assertEquals("drop", StreamGates.of(0).strategyName());
        assertEquals(200 - StreamGates.of(0).counters().dropped(), out.length());
    }

    @Test
    void perStreamStrategyOverridesTheGlobalOne() {
        RuntimeFixture.install("sluice.strategy", "drop", "sluice.stream.1.strategy", "sample");
        assertEquals("drop", StreamGates.of(0).strategyName());
        assertEquals("sample", StreamGates.of(1).strategyName());
    }

    @Test
    void unknownStrategyClassFallsBackToThrottle() {
        RuntimeFixture.install("sluice.strategy", "com.example.Missing");
        assertEquals("throttle", StreamGates.of(0).strategyName());
    }
}
