package dev.sluice.reactive;

import org.reactivestreams.Publisher;

/**
 * One subscription's lifetime, from a fresh publisher to cancel: a single daemon thread subscribes (so the receiver's
 * {@code onStart} returns at once, as Spark requires) and then replenishes the subscriber every interval. A receiver
 * restart is a new session: a new publisher from the factory, a new subscriber, a new thread. Spark-free. The thread
 * and the clock are a {@link SessionScheduler}, a real thread unless one is given.
 */
public final class SubscriptionSession<T> {

    private static final long STOP_WAIT_MILLIS = 10_000;
    /** After a stall, missed intervals are caught up for at most one second's worth (5 intervals at 200 ms). */
    private static final long MAX_CATCH_UP_MILLIS = 1_000;

    private final PublisherFactory<T> factory;
    private final BoundedDemandSubscriber<T> subscriber;
    private final Sink<T> sink;
    private final long intervalMillis;
    private final SessionScheduler scheduler;
    private final IntervalCatchUp catchUp;

    public SubscriptionSession(PublisherFactory<T> factory, Sink<T> sink, DemandPolicy policy, long intervalMillis,
                               String threadName) {
        this(factory, sink, policy, intervalMillis, new ThreadSessionScheduler(threadName));
    }

    public SubscriptionSession(PublisherFactory<T> factory, Sink<T> sink, DemandPolicy policy, long intervalMillis,
                               SessionScheduler scheduler) {
        if (scheduler == null) {
            throw new NullPointerException("scheduler is required");
        }
        this.factory = factory;
        this.sink = sink;
        this.subscriber = new BoundedDemandSubscriber<T>(sink, policy);
        this.intervalMillis = intervalMillis;
        this.catchUp = new IntervalCatchUp(intervalMillis, (int) Math.max(1, MAX_CATCH_UP_MILLIS / intervalMillis));
        this.scheduler = scheduler;
    }

    /** Subscribes on the session thread and schedules the interval replenish; returns at once. */
    public void start() {
        scheduler.execute(new Runnable() {
            @Override
            public void run() {
                subscribe();
            }
        });
        // Fixed rate, not fixed delay: a slow store must not lower the long-run rate below the bound; a late tick
        // still asks only for one allowance minus what is outstanding, and catch-up is limited (IntervalCatchUp).
        scheduler.scheduleAtFixedRate(new Runnable() {
            @Override
            public void run() {
                if (catchUp.shouldRenew(scheduler.nanoTime())) {
                    subscriber.replenish();
                } else {
                    subscriber.flush();
                }
            }
        }, intervalMillis);
    }

    private void subscribe() {
        Publisher<T> publisher;
        try {
            publisher = factory.create();
            if (publisher == null) {
                throw new NullPointerException("the publisher factory returned null");
            }
        } catch (Throwable t) {
            sink.failed(t);
            return;
        }
        try {
            publisher.subscribe(subscriber);
        } catch (Throwable t) {
            // A publisher must not throw from subscribe (rule 1.9); treat it as a failed subscription.
            subscriber.cancel();
            sink.failed(t);
        }
    }

    /**
     * Cancels the subscription, stops the session thread and stores what was received. Safe from any thread,
     * including the session thread itself (a synchronous publisher completing inside {@code request}); idempotent.
     */
    public void stop() {
        subscriber.cancel();
        scheduler.stop(STOP_WAIT_MILLIS);
        subscriber.close();
    }

    public BoundedDemandSubscriber<T> subscriber() {
        return subscriber;
    }
}
