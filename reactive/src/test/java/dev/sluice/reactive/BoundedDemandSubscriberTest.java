package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class BoundedDemandSubscriberTest {

    private final CollectingSink<Long> sink = new CollectingSink<>();

    @Test
    void firstRequestIsOneAllowanceAndOutstandingIsNeverRequestedTwice() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 10);
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        assertEquals(Arrays.asList(10L), sub.requests);
        // A publisher that delivers nothing: further intervals ask for nothing more.
        for (int i = 0; i < 5; i++) {
            s.replenish();
        }
        assertEquals(Arrays.asList(10L), sub.requests);
        // 7 delivered: the next interval tops up to the allowance, no more.
        for (long i = 0; i < 7; i++) {
            s.onNext(i);
        }
        s.replenish();
        assertEquals(Arrays.asList(10L, 7L), sub.requests);
        assertEquals(10, s.outstanding());
    }

    @Test
    void demandPerIntervalNeverExceedsTheBoundWithAFastPublisher() {
        BoundDemandPolicy policy = new BoundDemandPolicy(() -> 1_000, 1_000, 200);
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, policy);
        CountingPublisher pub = CountingPublisher.endless(); // delivers synchronously, as fast as asked
        pub.subscribe(s);
        for (int i = 0; i < 50; i++) { // 10 s worth of intervals
            s.replenish();
        }
        assertEquals(200, pub.maxSingleRequest.get());
        // 51 requests (onSubscribe + 50 intervals) of at most one allowance each.
        assertEquals(51 * 200, pub.requestedTotal.get());
        assertEquals(pub.emittedTotal.get(), s.received());
        assertEquals(0, pub.nonPositiveRequests.get());
        // Everything but the last interval's delivery is stored, in order.
        List<Long> stored = sink.all();
        assertEquals(50 * 200, stored.size());
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(i, stored.get(i).longValue());
        }
    }

    @Test
    void followsBoundChanges() {
        AtomicLong bound = new AtomicLong(1_000);
        BoundedDemandSubscriber<Long> s =
                new BoundedDemandSubscriber<>(sink, new BoundDemandPolicy(bound::get, 1_000, 100));
        CountingPublisher pub = CountingPublisher.endless();
        pub.subscribe(s);
        s.replenish();
        long before = pub.requestedTotal.get();
        bound.set(20_000);
        s.replenish();
        assertEquals(2_000, pub.requestedTotal.get() - before);
        bound.set(500);
        before = pub.requestedTotal.get();
        s.replenish();
        assertEquals(50, pub.requestedTotal.get() - before);
    }

    @Test
    void unlimitedBoundUsesTheFallbackNeverLongMaxValue() {
        BoundedDemandSubscriber<Long> s =
                new BoundedDemandSubscriber<>(sink, new BoundDemandPolicy(() -> Long.MAX_VALUE, 500, 200));
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        for (int i = 0; i < 10; i++) {
            s.replenish();
        }
        assertEquals(Arrays.asList(100L), sub.requests);
        assertFalse(sub.requests.contains(Long.MAX_VALUE));
    }

    @Test
    void zeroAllowanceRequestsNothingAndNegativeIsRefused() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 0);
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        s.replenish();
        assertTrue(sub.requests.isEmpty());

        CollectingSink<Long> other = new CollectingSink<>();
        BoundedDemandSubscriber<Long> bad = new BoundedDemandSubscriber<>(other, () -> -1);
        RecordingSubscription sub2 = new RecordingSubscription();
        bad.onSubscribe(sub2);
        assertTrue(sub2.requests.isEmpty());
        assertEquals(1, other.failures.size());
        assertEquals(1, sub2.cancels.get());
    }

    @Test
    void secondSubscriptionIsCancelledAndNeverRequested() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        RecordingSubscription first = new RecordingSubscription();
        RecordingSubscription second = new RecordingSubscription();
        s.onSubscribe(first);
        s.onSubscribe(second);
        assertEquals(1, second.cancels.get());
        assertTrue(second.requests.isEmpty());
        assertEquals(0, first.cancels.get());
    }

    @Test
    void nullsAreRejectedWithNullPointerException() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        assertThrows(NullPointerException.class, () -> s.onSubscribe(null));
        s.onSubscribe(new RecordingSubscription());
        assertThrows(NullPointerException.class, () -> s.onNext(null));
        assertThrows(NullPointerException.class, () -> s.onError(null));
    }

    @Test
    void completeStoresWhatWasBufferedThenTellsTheSinkAndNeverTouchesTheSubscriptionAgain() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        s.onNext(1L);
        s.onNext(2L);
        s.onComplete();
        assertEquals(Arrays.asList(1L, 2L), sink.all());
        assertEquals(1, sink.completions.get());
        s.replenish();
        s.cancel();
        assertEquals(Arrays.asList(5L), sub.requests);
        assertEquals(0, sub.cancels.get(), "rule 2.4: cancelled already by the terminal signal");
    }

    @Test
    void errorStoresWhatWasBufferedThenReportsTheFailureOnce() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        s.onNext(7L);
        RuntimeException boom = new RuntimeException("boom");
        s.onError(boom);
        assertEquals(Arrays.asList(7L), sink.all());
        assertEquals(1, sink.failures.size());
        assertSame(boom, sink.failures.get(0));
        s.replenish();
        assertEquals(0, sub.cancels.get());
        assertEquals(1, sub.requests.size());
    }

    @Test
    void cancelIsIdempotent() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        s.cancel();
        s.cancel();
        s.replenish();
        assertEquals(1, sub.cancels.get());
        assertEquals(1, sub.requests.size(), "no request after cancel");
    }

    @Test
    void cancelBeforeSubscribeCancelsTheSubscriptionWhenItArrives() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        s.cancel();
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        assertEquals(1, sub.cancels.get());
        assertTrue(sub.requests.isEmpty());
    }

    @Test
    void recordsArrivingAfterCancelAreStoredByTheFinalCloseAndLaterOnesCounted() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        s.onSubscribe(new RecordingSubscription());
        s.cancel();
        s.onNext(1L); // rule 2.8: may still arrive
        s.close();
        s.onNext(2L);
        assertEquals(Arrays.asList(1L), sink.all());
        assertEquals(1, s.discarded());
    }

    @Test
    void aFailedStoreCancelsAndReportsTheFailure() {
        BoundedDemandSubscriber<Long> s = new BoundedDemandSubscriber<>(sink, () -> 5);
        RecordingSubscription sub = new RecordingSubscription();
        s.onSubscribe(sub);
        s.onNext(1L);
        sink.failNextStore = new IllegalStateException("block manager gone");
        s.replenish();
        assertEquals(1, sub.cancels.get());
        assertEquals(1, sink.failures.size());
        assertEquals(1, s.discarded());
    }
}
