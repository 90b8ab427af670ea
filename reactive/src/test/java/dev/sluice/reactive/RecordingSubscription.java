package dev.sluice.reactive;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Subscription;

/** A subscription that only records what the subscriber asks of it. */
final class RecordingSubscription implements Subscription {
    final List<Long> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger cancels = new AtomicInteger();

    @Override
    public void request(long n) {
        requests.add(n);
    }

    @Override
    public void cancel() {
        cancels.incrementAndGet();
    }

    long total() {
        return requests.stream().mapToLong(Long::longValue).sum();
    }
}
