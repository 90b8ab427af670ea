package dev.sluice.examples.reactive;

import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A publisher of 0, 1, 2, ... that emits exactly what is requested, as fast as it is asked: it produces on the
 * thread that calls {@code request(n)} (a trampoline stops re-entrant requests from recursing, rule 3.3), so it can
 * emit millions of records a second and only the subscriber's demand limits it.
 *
 * <p>Numbers continue across subscriptions in one JVM ({@link PublisherCounters#nextValue}), so that after a receiver
 * restart every record is still unique and a job can check that nothing was lost or duplicated.
 */
public final class CountingPublisher implements Publisher<Long> {

    private final PublisherCounters counters;

    public CountingPublisher(PublisherCounters counters) {
        this.counters = counters;
    }

    @Override
    public void subscribe(Subscriber<? super Long> subscriber) {
        if (subscriber == null) {
            throw new NullPointerException("subscribe(null) (rule 1.9)");
        }
        counters.subscriptions.incrementAndGet();
        subscriber.onSubscribe(new CountingSubscription(subscriber, counters));
    }

    private static final class CountingSubscription implements Subscription {
        private final Subscriber<? super Long> subscriber;
        private final PublisherCounters counters;
        private final AtomicLong demand = new AtomicLong();
        private volatile boolean cancelled;

        CountingSubscription(Subscriber<? super Long> subscriber, PublisherCounters counters) {
            this.subscriber = subscriber;
            this.counters = counters;
        }

        @Override
        public void request(long n) {
            if (cancelled) {
                return;
            }
            if (n <= 0) {
                cancelled = true;
                subscriber.onError(new IllegalArgumentException("rule 3.9: request(" + n + ")"));
                return;
            }
            counters.requested.addAndGet(n);
            // Only the call that raised demand from zero emits; re-entrant or concurrent callers just add demand.
            if (addDemand(n) != 0) {
                return;
            }
            long missing = n;
            while (missing > 0) {
                long emitted = 0;
                while (emitted < missing && !cancelled) {
                    subscriber.onNext(counters.nextValue());
                    counters.emitted.incrementAndGet();
                    emitted++;
                }
                if (cancelled) {
                    return;
                }
                missing = demand.addAndGet(-emitted);
            }
        }

        private long addDemand(long n) {
            while (true) {
                long current = demand.get();
                long next = current + n < 0 ? Long.MAX_VALUE : current + n;
                if (demand.compareAndSet(current, next)) {
                    return current;
                }
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                counters.cancels.incrementAndGet();
                counters.onCancel();
            }
        }
    }
}
