package dev.sluice.reactive;

import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.reactivestreams.tck.SubscriberWhiteboxVerification;
import org.reactivestreams.tck.TestEnvironment;

/**
 * Reactive Streams TCK, whitebox: the TCK plays the publisher and drives the subscriber through a puppet. The puppet
 * asks for {@code n} more records by granting an allowance of {@code outstanding + n} and running one interval
 * ({@code replenish}), i.e. through the same demand path the receiver uses, not by calling the subscription itself.
 */
public class BoundedDemandSubscriberWhiteboxTckTest extends SubscriberWhiteboxVerification<Integer> {

    public BoundedDemandSubscriberWhiteboxTckTest() {
        super(new TestEnvironment(1000, 200));
    }

    @Override
    public Subscriber<Integer> createSubscriber(final WhiteboxSubscriberProbe<Integer> probe) {
        final GrantedDemand demand = new GrantedDemand();
        final AtomicBoolean registered = new AtomicBoolean();
        return new BoundedDemandSubscriber<Integer>(new CollectingSink<Integer>(), demand) {
            @Override
            public void onSubscribe(Subscription s) {
                super.onSubscribe(s);
                if (!registered.compareAndSet(false, true)) {
                    return; // a second subscription was cancelled by super (rule 2.5): not the probe's business
                }
                final BoundedDemandSubscriber<Integer> self = this;
                probe.registerOnSubscribe(new SubscriberPuppet() {
                    @Override
                    public void triggerRequest(long elements) {
                        demand.grant(self.outstanding() + elements);
                        self.replenish();
                    }

                    @Override
                    public void signalCancel() {
                        self.cancel();
                    }
                });
            }

            @Override
            public void onNext(Integer element) {
                super.onNext(element);
                probe.registerOnNext(element);
            }

            @Override
            public void onError(Throwable error) {
                super.onError(error);
                probe.registerOnError(error);
            }

            @Override
            public void onComplete() {
                super.onComplete();
                probe.registerOnComplete();
            }
        };
    }

    @Override
    public Integer createElement(int element) {
        return element;
    }

    /** An allowance the puppet sets for the next interval only. */
    static final class GrantedDemand implements DemandPolicy {
        private long next;

        synchronized void grant(long allowance) {
            next = allowance;
        }

        @Override
        public synchronized long allowance() {
            long a = next;
            next = 0;
            return a;
        }
    }
}
