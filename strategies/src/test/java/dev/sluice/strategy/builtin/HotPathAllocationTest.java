package dev.sluice.strategy.builtin;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The store() path allocates nothing: measured with HotSpot's per-thread allocation counter over many calls (not a
 * timing assertion). Congested and uncongested, for each built-in. Skipped (reported as skipped) on JVMs without the
 * counter.
 */
class HotPathAllocationTest {

    static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void counter() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    }

    static long allocatedBytes() {
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"throttle", "drop", "sample"})
    void admitOneAllocatesNothing(String name) {
        for (double bound : new double[] {0, 1e9, 1000}) { // unbounded, uncongested, congested (5× offered)
            SimulatedStream s = new SimulatedStream(
                    name.equals("sample") ? new SampleStrategy(1) : Strategies.create(name), bound);
            Object record = "record";
            run(s, record, 20_000); // warm up: class loading, LongAdder setup, JIT
            long before = allocatedBytes();
            run(s, record, 200_000);
            long allocated = allocatedBytes() - before;
            // The counter itself may account for a few bytes; 200 000 calls allocating anything would be >= 3 MB.
            assertTrue(allocated < 1024, name + " bound " + bound + ": " + allocated + " bytes for 200 000 records");
            assertEquals(s.counters.offered(), s.counters.admitted() + s.counters.dropped());
        }
    }

    /** A user's strategy (admits all): its calls are watched for sluice.userStrategy.deadline, which allocates nothing. */
    @org.junit.jupiter.api.Test
    void aWatchedUserStrategyAllocatesNothing() {
        dev.sluice.strategy.CongestionStrategy user = new dev.sluice.strategy.CongestionStrategy() {
            @Override
            public boolean admit(Object record, dev.sluice.strategy.Budget budget) {
                return true;
            }

            @Override
            public void admitBulk(dev.sluice.strategy.Chunk chunk, dev.sluice.strategy.Budget budget) {
                chunk.keepAll();
            }

            @Override
            public boolean mayDiscard() {
                return false;
            }
        };
        SimulatedStream s = new SimulatedStream(user, 1e9);
        s.gate.setStrategyDeadlineNanos(1_000_000_000L);
        Object record = "record";
        run(s, record, 20_000);
        long before = allocatedBytes();
        run(s, record, 200_000);
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 1024, "watched user strategy: " + allocated + " bytes for 200 000 records");
        assertEquals(220_000, s.counters.admitted());
    }

    private static void run(SimulatedStream s, Object record, int n) {
        for (int i = 0; i < n; i++) {
            s.clock.advance(200_000); // 5000 records/s
            s.gate.admitOne(record);
        }
    }
}
