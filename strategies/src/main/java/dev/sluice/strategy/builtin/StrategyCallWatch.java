package dev.sluice.strategy.builtin;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches the calls into one stream's user strategy so that a call that never returns cannot hold the receiver for
 * good. The storing thread marks each call's entry and exit ({@link #enter()}, {@link #exit()}: two uncontended atomic
 * adds, a volatile write, a compare-and-set; no allocation, no lock, no clock read). A watcher thread calls
 * {@link #overdue(long, long)} now and then with its own clock: calls are overdue when some are in flight and none has
 * finished for the deadline. The gate then switches the stream away from the strategy and {@link #expire()}s the
 * watch, which interrupts the thread of the latest call if it is still inside it; that thread's {@link #exit()} clears
 * the interrupt, which was Sluice's, not Spark's.
 *
 * <p>With one storing thread per stream (the usual receiver) that is exactly "this call has run past the deadline".
 * With several, a stuck thread is seen once the others stop finishing calls; since the stream leaves the strategy at
 * the first expiry, no new call can get stuck.
 */
final class StrategyCallWatch {

    private static final long NOT_WATCHING = Long.MIN_VALUE;
    /** Put in {@link #inCall} by the watcher when it claims a thread to interrupt. */
    private static final Thread CLAIMED = new Thread("sluice-claimed-call");

    private final AtomicLong entered = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();
    /** The thread of the latest call while it is inside the strategy. */
    private final AtomicReference<Thread> inCall = new AtomicReference<Thread>();
    private volatile boolean expired;
    private volatile Thread interrupted;
    private volatile boolean interruptDelivered;

    // Watcher-side state, touched only by the watcher thread.
    private long watchedFinished = -1;
    private long watchedSinceNanos = NOT_WATCHING;

    void enter() {
        inCall.set(Thread.currentThread());
        entered.incrementAndGet();
    }

    /**
     * The current thread's call returned or threw. True when the deadline had passed by then: the call's outcome
     * must be ignored. An interrupt of the watcher's aimed at this thread is cleared so that it does not reach Spark.
     */
    boolean exit() {
        Thread me = Thread.currentThread();
        finished.incrementAndGet();
        if (inCall.compareAndSet(me, null)) {
            return expired;
        }
        if (interrupted == me) {
            while (!interruptDelivered) {
                Thread.yield(); // the watcher claimed this thread and is about to interrupt it: a few instructions
            }
            Thread.interrupted();
            interrupted = null;
        }
        return expired;
    }

    /**
     * The watcher's check: whether calls have been in flight with none finishing for {@code deadlineNanos} up to
     * {@code nowNanos} (the watcher's clock). False once {@link #expire()}d.
     */
    boolean overdue(long nowNanos, long deadlineNanos) {
        if (expired) {
            return false;
        }
        long done = finished.get();
        if (entered.get() == done) {
            watchedSinceNanos = NOT_WATCHING;
            return false;
        }
        if (watchedSinceNanos == NOT_WATCHING || done != watchedFinished) {
            watchedFinished = done;
            watchedSinceNanos = nowNanos;
            return false;
        }
        return nowNanos - watchedSinceNanos >= deadlineNanos;
    }

    /** The thread of the latest call if it is still inside the strategy, else null. */
    Thread caller() {
        Thread t = inCall.get();
        return t == CLAIMED ? null : t;
    }

    /**
     * Gives up on the calls in flight: marks the watch expired (their {@link #exit()} returns true) and interrupts the
     * latest call's thread if it is still inside the strategy. The caller has switched the stream away from the
     * strategy first, so the interrupted thread's next record does not go back into it.
     */
    void expire() {
        expired = true;
        Thread target = inCall.get();
        if (target != null && target != CLAIMED) {
            // Named before the claim: a thread whose exit finds the claim made must find itself named.
            interrupted = target;
            if (inCall.compareAndSet(target, CLAIMED)) {
                target.interrupt();
                interruptDelivered = true;
            } else {
                interrupted = null; // it left the strategy first: nothing to interrupt
            }
        }
    }
}
