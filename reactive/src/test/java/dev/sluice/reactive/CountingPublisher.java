package dev.sluice.reactive;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Test publisher: emits 0, 1, 2, ... on the thread that requests (a trampoline keeps re-entrant requests from
 * recursing, rule 3.3), honours request(n) exactly, and can complete after {@code limit} or fail after
 * {@code failAfter} elements. Counts what it was asked for and what it emitted, per subscription and in total.
 */
final class CountingPublisher implements Publisher<Long> {

    final long limit;
    final long failAfter;
    final AtomicLong requestedTotal = new AtomicLong();
    final AtomicLong emittedTotal = new AtomicLong();
    final AtomicLong maxSingleRequest = new AtomicLong();
    final AtomicInteger subscriptions = new AtomicInteger();
    final AtomicInteger cancels = new AtomicInteger();
    final AtomicInteger nonPositiveRequests = new AtomicInteger();

    CountingPublisher(long limit, long failAfter) {
        this.limit = limit;
        this.failAfter = failAfter;
    }

    static CountingPublisher endless() {
        return new CountingPublisher(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    @Override
    public void subscribe(Subscriber<? super Long> s) {
        subscriptions.incrementAndGet();
        s.onSubscribe(new CountingSubscription(s));
    }

    private final class CountingSubscription implements Subscription {
        private final Subscriber<? super Long> subscriber;
        private long demand;
        private long next;
        private boolean emitting;
        private volatile boolean cancelled;
        private boolean done;

        CountingSubscription(Subscriber<? super Long> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                nonPositiveRequests.incrementAndGet();
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("3.9: request(" + n + ")"));
                return;
            }
            requestedTotal.addAndGet(n);
            maxSingleRequest.accumulateAndGet(n, Math::max);
            synchronized (this) {
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                if (emitting) {
                    return;
                }
                emitting = true;
            }
            drain();
        }

        private void drain() {
            while (true) {
                synchronized (this) {
                    if (cancelled || done || demand == 0) {
                        emitting = false;
                        return;
                    }
                    demand--;
                }
                if (next >= limit) {
                    done = true;
                    subscriber.onComplete();
                    continue;
                }
                if (next >= failAfter) {
                    done = true;
                    subscriber.onError(new IllegalStateException("injected failure after " + next));
                    continue;
                }
                emittedTotal.incrementAndGet();
                subscriber.onNext(next++);
                if (next >= limit && !done) {
                    done = true;
                    subscriber.onComplete();
                }
            }
        }

        @Override
        public void cancel() {
            cancels.incrementAndGet();
            cancelled = true;
        }
    }
}
