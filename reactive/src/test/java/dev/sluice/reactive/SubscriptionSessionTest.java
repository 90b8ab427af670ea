package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A session on a {@link ManualSessionScheduler}: the test moves virtual time and every tick runs on the test's
 * thread, so each check is about a known number of intervals, and nothing waits on the wall clock.
 */
class SubscriptionSessionTest {

    /** Allows a fixed amount per interval and counts how often it was asked. */
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

    private final ManualSessionScheduler scheduler = new ManualSessionScheduler();

    @Test
    void requestsOneAllowancePerIntervalAndStoresAllThatWasEmitted() {
        CountingPublisher pub = CountingPublisher.endless();
        CollectingSink<Long> sink = new CollectingSink<>();
        CountingPolicy policy = new CountingPolicy(50);
        SubscriptionSession<Long> session = new SubscriptionSession<>(() -> pub, sink, policy, 10, scheduler);
        session.start();
        assertEquals(50, pub.requestedTotal.get(), "the first allowance is requested on subscribe");

        scheduler.advance(200);
        assertEquals(20, scheduler.ticksRun(), "200 ms of 10 ms intervals");
        assertEquals(21, policy.intervals.get());
        // The publisher delivers synchronously, so nothing is outstanding at a tick: each asks for a whole allowance.
        assertEquals(21 * 50, pub.requestedTotal.get());
        assertEquals(50, pub.maxSingleRequest.get());
        assertEquals(20 * 50, sink.all().size(), "each tick stored what the previous allowance brought");

        session.stop();
        assertTrue(scheduler.isStopped());
        assertEquals(1, pub.cancels.get(), "stop cancels the subscription");
        // Nothing emitted is lost: stop stores the last partial block.
        assertEquals(pub.emittedTotal.get(), sink.all().size());
        assertEquals(0, session.subscriber().discarded());
        assertTrue(sink.failures.isEmpty());
        assertEquals(0, sink.completions.get());
    }

    @Test
    void afterAStallOnlyOneSecondOfMissedIntervalsRenewsDemand() {
        CountingPublisher pub = CountingPublisher.endless();
        CountingPolicy policy = new CountingPolicy(10);
        SubscriptionSession<Long> session =
                new SubscriptionSession<>(() -> pub, new CollectingSink<>(), policy, 200, scheduler);
        session.start();
        scheduler.advance(1_000);
        assertEquals(6, policy.intervals.get(), "subscribe + 5 ticks on time");

        // The session thread is held up for 10 s; the fixed-rate schedule then runs the 50 missed ticks at once.
        scheduler.stall(10_000);
        scheduler.runMissedTicks();
        assertEquals(55, scheduler.ticksRun());
        assertEquals(6 + 6, policy.intervals.get(),
                "only the ticks within 1 s (5 intervals) of their schedule, and the one due now, renew demand");
        assertEquals(12 * 10, pub.requestedTotal.get());

        scheduler.advance(200);
        assertEquals(13, policy.intervals.get(), "back on schedule");
        session.stop();
    }

    @Test
    void stopIsIdempotent() {
        CountingPublisher pub = CountingPublisher.endless();
        SubscriptionSession<Long> session =
                new SubscriptionSession<>(() -> pub, new CollectingSink<>(), new CountingPolicy(5), 10, scheduler);
        session.start();
        assertEquals(1, pub.subscriptions.get());
        session.stop();
        session.stop();
        assertEquals(1, pub.cancels.get());
        scheduler.advance(100);
        assertEquals(0, scheduler.ticksRun(), "no tick after stop");
        assertEquals(5, pub.requestedTotal.get());
    }

    @Test
    void completionReachesTheSinkAfterEveryRecordWasStored() {
        CountingPublisher pub = new CountingPublisher(123, Long.MAX_VALUE);
        CollectingSink<Long> sink = new CollectingSink<>();
        SubscriptionSession<Long> session =
                new SubscriptionSession<>(() -> pub, sink, new CountingPolicy(10), 5, scheduler);
        session.start();
        scheduler.advance(11 * 5);
        assertEquals(1, sink.terminal.getCount(), "12 allowances of 10 bring 120 of the 123");
        scheduler.advance(5);
        assertEquals(0, sink.terminal.getCount(), "the 13th brings the last 3 and the completion");
        assertEquals(1, sink.completions.get());
        assertEquals(123, sink.all().size());
        session.stop();
        assertEquals(0, pub.cancels.get(), "no cancel after onComplete (rule 2.4)");
    }

    @Test
    void aFactoryThatThrowsIsAFailedSubscription() {
        CollectingSink<Long> sink = new CollectingSink<>();
        IllegalStateException boom = new IllegalStateException("cannot connect");
        SubscriptionSession<Long> session = new SubscriptionSession<>(() -> {
            throw boom;
        }, sink, new CountingPolicy(10), 5, scheduler);
        session.start();
        assertEquals(0, sink.terminal.getCount());
        assertEquals(boom, sink.failures.get(0));
        session.stop();
    }
}
