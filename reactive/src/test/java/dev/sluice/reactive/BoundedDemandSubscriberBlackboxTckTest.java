package dev.sluice.reactive;

import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;
import org.reactivestreams.tck.TestEnvironment;

/**
 * Reactive Streams TCK, blackbox: the subscriber as users get it, with a fixed allowance of 4 records per interval;
 * the TCK's {@code triggerRequest} hook runs one interval.
 */
public class BoundedDemandSubscriberBlackboxTckTest extends SubscriberBlackboxVerification<Integer> {

    public BoundedDemandSubscriberBlackboxTckTest() {
        super(new TestEnvironment(1000, 200));
    }

    @Override
    public Subscriber<Integer> createSubscriber() {
        return new BoundedDemandSubscriber<Integer>(new CollectingSink<Integer>(), () -> 4);
    }

    @Override
    public void triggerRequest(Subscriber<? super Integer> subscriber) {
        ((BoundedDemandSubscriber<?>) subscriber).replenish();
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }
}
