package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A session with its real interval thread. Timing is never asserted: the policy counts its own intervals, and the
 * checks compare what was requested with what those intervals allowed.
 */
class SubscriptionSessionTest {

    /** Allows a fixed amount per interval and sums what it allowed. */
    static final class CountingPolicy implements DemandPolicy {
        final long perInterval;
        final AtomicLong intervals = new AtomicLong();

        CountingPolicy(long perInterval) {
            this.perInterval = perInterval;
        }

        @Override
        public long allowance() {
            intervals.incrementAndGet();
            return perInterval;
        }
    }

    @Test
    void requestsNoMoreThanTheIntervalsAllowedAndStoresAllThatWasEmitted() throws Exception {
        CountingPublisher pub = CountingPublisher.endless();
        CollectingSink<Long> sink = new CollectingSink<>();
        CountingPolicy policy = new CountingPolicy(50);
        SubscriptionSession<Long> session = new SubscriptionSession<>(() -> pub, sink, policy, 10, "test-session");
        session.start();
        waitUntil(() -> policy.intervals.get() >= 20);
        session.stop();

        long intervals = policy.intervals.get();
        assertTrue(pub.requestedTotal.get() <= intervals * 50,
                pub.requestedTotal.get() + " requested in " + intervals + " intervals of 50");
        assertEquals(50, pub.maxSingleRequest.get());
        assertEquals(1, pub.cancels.get(), "stop cancels the subscription");
        // Nothing emitted is lost: stop stores the last partial block.
        assertEquals(pub.emittedTotal.get(), sink.all().size());
        assertEquals(0, session.subscriber().discarded());
        assertTrue(sink.failures.isEmpty());
        assertEquals(0, sink.completions.get());
    }

    @Test
    void stopIsIdempotent() throws Exception {
        CountingPublisher pub = CountingPublisher.endless();
        SubscriptionSession<Long> session =
                new SubscriptionSession<>(() -> pub, new CollectingSink<>(), new CountingPolicy(5), 10, "t");
        session.start();
        waitUntil(() -> pub.subscriptions.get() == 1 && pub.requestedTotal.get() > 0);
        session.stop();
        session.stop();
        assertEquals(1, pub.cancels.get());
    }

    @Test
    void completionReachesTheSinkAfterEveryRecordWasStored() throws Exception {
        CountingPublisher pub = new CountingPublisher(123, Long.MAX_VALUE);
        CollectingSink<Long> sink = new CollectingSink<>();
        SubscriptionSession<Long> session =
                new SubscriptionSession<>(() -> pub, sink, new CountingPolicy(10), 5, "t");
        session.start();
        assertTrue(sink.terminal.await(10, TimeUnit.SECONDS));
        assertEquals(1, sink.completions.get());
        assertEquals(123, sink.all().size());
        session.stop();
        assertEquals(0, pub.cancels.get(), "no cancel after onComplete (rule 2.4)");
    }

    @Test
    void aFactoryThatThrowsIsAFailedSubscription() throws Exception {
        CollectingSink<Long> sink = new CollectingSink<>();
        IllegalStateException boom = new IllegalStateException("cannot connect");
        SubscriptionSession<Long> session = new SubscriptionSession<>(() -> {
            throw boom;
        }, sink, new CountingPolicy(10), 5, "t");
        session.start();
        assertTrue(sink.terminal.await(10, TimeUnit.SECONDS));
        assertEquals(boom, sink.failures.get(0));
        session.stop();
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(5);
        }
    }
}
