package dev.sluice.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A Reactive Streams subscriber whose demand follows a bound, and which hands what it receives to a {@link Sink} in
 * blocks. Spark-free: the receiver drives it, and the Reactive Streams TCK verifies it alone.
 *
 * <p>Demand: at every {@link #replenish()} (once per block interval) it first stores the records buffered since the
 * previous one, then requests {@code policy.allowance() - outstanding}, where outstanding is what was requested and
 * not yet received. So no more than one interval's allowance is ever in flight, and it never asks for an unbounded
 * amount. The first request is made from {@code onSubscribe}, so records flow without waiting for an interval.
 *
 * <p>Rules of the specification (section 2) kept here, by number:
 * <ul>
 *   <li>2.1/3.9: demand only through {@code request(n)} with {@code n > 0};</li>
 *   <li>2.3/2.4: after {@code onComplete}/{@code onError} the subscription is considered cancelled: nothing is called
 *       on it any more, from those methods or later;</li>
 *   <li>2.5: a second {@code onSubscribe} (or one after {@link #cancel()}) cancels the new subscription;</li>
 *   <li>2.7: {@code request} and {@code cancel} are called under one lock, so serially, from whichever thread (the
 *       interval thread, the thread that stops the receiver);</li>
 *   <li>2.8: {@code onNext} after {@code cancel} is accepted (buffered until the final flush, then discarded and
 *       counted);</li>
 *   <li>2.13: {@code null} arguments throw {@link NullPointerException}; otherwise the signal methods return
 *       normally: a failure of the sink is reported through {@link Sink#failed(Throwable)}, never thrown back at the
 *       publisher.</li>
 * </ul>
 * Signals are serialized by the publisher (1.3); the fields they share with the interval thread are guarded by the
 * buffer lock or are atomics, so the subscriber also tolerates signals arriving on different threads.
 */
public class BoundedDemandSubscriber<T> implements Subscriber<T> {

    private final Sink<T> sink;
    private final DemandPolicy policy;

    /** Guards {@link #subscription}, {@link #cancelled} and every call into the subscription (rule 2.7). */
    private final Object subscriptionLock = new Object();
    private Subscription subscription;
    private boolean cancelled;
    private volatile boolean terminated;

    /** Guards {@link #buffer} and {@link #closed}. */
    private final Object bufferLock = new Object();
    private ArrayList<T> buffer = new ArrayList<T>();
    private boolean closed;
    /** Held while a block is handed to the sink, so blocks are stored one at a time and in order. */
    private final Object storeLock = new Object();

    private final AtomicLong requested = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicBoolean sinkTold = new AtomicBoolean();

    public BoundedDemandSubscriber(Sink<T> sink, DemandPolicy policy) {
        if (sink == null || policy == null) {
            throw new NullPointerException("sink and policy are required");
        }
        this.sink = sink;
        this.policy = policy;
    }

    @Override
    public void onSubscribe(Subscription s) {
        if (s == null) {
            throw new NullPointerException("onSubscribe(null) (rule 2.13)");
        }
        synchronized (subscriptionLock) {
            if (subscription != null || cancelled || terminated) {
                s.cancel(); // rule 2.5
                return;
            }
            subscription = s;
        }
        replenish();
    }

    @Override
    public void onNext(T element) {
        if (element == null) {
            throw new NullPointerException("onNext(null) (rule 2.13)");
        }
        received.incrementAndGet();
        synchronized (bufferLock) {
            if (!closed) {
                buffer.add(element);
                return;
            }
        }
        discarded.incrementAndGet();
    }

    @Override
    public void onError(Throwable error) {
        if (error == null) {
            throw new NullPointerException("onError(null) (rule 2.13)");
        }
        terminated = true; // rule 2.4: from now on the subscription is treated as cancelled
        safeFlush();
        tellFailed(error);
    }

    @Override
    public void onComplete() {
        terminated = true;
        Throwable storeFailure = safeFlush();
        if (storeFailure != null) {
            tellFailed(storeFailure);
        } else if (sinkTold.compareAndSet(false, true)) {
            sink.completed();
        }
    }

    /**
     * One interval: store what arrived since the last call, then request up to the allowance. Called by the
     * receiver's interval thread; a failure to store or to request cancels the subscription and is reported to the
     * sink as {@link Sink#failed(Throwable)}.
     */
    public void replenish() {
        Throwable storeFailure = safeFlush();
        if (storeFailure != null) {
            cancel();
            tellFailed(storeFailure);
            return;
        }
        try {
            requestUpToAllowance();
        } catch (Throwable t) {
            // A publisher whose request() throws breaks rule 3.16; the subscription is no longer usable (2.6).
            cancel();
            tellFailed(t);
        }
    }

    private void requestUpToAllowance() {
        synchronized (subscriptionLock) {
            if (subscription == null || cancelled || terminated) {
                return;
            }
            long allowance = policy.allowance();
            if (allowance < 0) {
                throw new IllegalStateException("demand policy returned a negative allowance: " + allowance);
            }
            long n = allowance - outstanding();
            if (n <= 0) {
                return;
            }
            // Count before calling: a synchronous publisher delivers inside request() (rule 3.10).
            requested.addAndGet(n);
            subscription.request(n);
        }
    }

    /** Stores what was received since the last block without renewing demand (a skipped interval). */
    public void flush() {
        Throwable storeFailure = safeFlush();
        if (storeFailure != null) {
            cancel();
            tellFailed(storeFailure);
        }
    }

    /** Cancels the subscription once; a no-op after a terminal signal (rule 2.4) or a second time (rule 3.7). */
    public void cancel() {
        synchronized (subscriptionLock) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            if (subscription != null && !terminated) {
                subscription.cancel();
            }
        }
    }

    /**
     * Stores what is buffered and accepts nothing more: later {@code onNext} (allowed after cancel, rule 2.8) are
     * counted as discarded. Call after {@link #cancel()} when the receiver stops.
     */
    public void close() {
        safeFlush();
        synchronized (bufferLock) {
            closed = true;
            if (!buffer.isEmpty()) {
                discarded.addAndGet(buffer.size());
                buffer = new ArrayList<T>();
            }
        }
    }

    /** Hands the buffered records to the sink; returns the sink's failure instead of throwing it. */
    private Throwable safeFlush() {
        synchronized (storeLock) {
            ArrayList<T> block;
            synchronized (bufferLock) {
                if (buffer.isEmpty()) {
                    return null;
                }
                block = buffer;
                buffer = new ArrayList<T>(Math.max(16, block.size()));
            }
            try {
                sink.store(block);
                stored.addAndGet(block.size());
                return null;
            } catch (Throwable t) {
                discarded.addAndGet(block.size());
                return t;
            }
        }
    }

    private void tellFailed(Throwable error) {
        if (sinkTold.compareAndSet(false, true)) {
            sink.failed(error);
        }
    }

    /** Requested and not yet received; never negative (a publisher that over-delivers breaks rule 1.1). */
    public long outstanding() {
        return Math.max(0L, requested.get() - received.get());
    }

    public long requested() {
        return requested.get();
    }

    public long received() {
        return received.get();
    }

    public long stored() {
        return stored.get();
    }

    /** Received but not stored: arrived after {@link #close()}, or in a block the sink failed to store. */
    public long discarded() {
        return discarded.get();
    }

    public boolean isTerminated() {
        return terminated;
    }

    /** A snapshot of what is buffered (for tests and diagnostics). */
    List<T> buffered() {
        synchronized (bufferLock) {
            return new ArrayList<T>(buffer);
        }
    }
}
