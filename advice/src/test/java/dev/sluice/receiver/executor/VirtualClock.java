package dev.sluice.receiver.executor;

import dev.sluice.strategy.builtin.Clock;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Virtual time for the runtime's budgets: only the test (or a throttled thread's sleep) moves it; a sleep advances the
 * clock instead of sleeping. Optionally the sleeps are held: the first sleeping thread signals {@link #awaitSleeper}
 * and every sleeping thread blocks until {@link #release}, so a test can act while a thread is inside a throttle wait.
 */
final class VirtualClock implements Clock {

    private final CountDownLatch sleeping = new CountDownLatch(1);
    private long now = 1_000_000_000_000L;
    private boolean held;
    private long sleeps;

    static VirtualClock holdingSleeps() {
        VirtualClock c = new VirtualClock();
        c.held = true;
        return c;
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        sleeping.countDown();
        synchronized (this) {
            while (held) {
                wait();
            }
            now += Math.max(1, nanos);
            sleeps++;
        }
    }

    synchronized void advanceMillis(long millis) {
        now += millis * 1_000_000L;
    }

    synchronized long sleeps() {
        return sleeps;
    }

    synchronized long now() {
        return now;
    }

    /** Blocks until a thread sleeps (liveness timeout only: no timing is asserted). */
    void awaitSleeper() throws InterruptedException {
        if (!sleeping.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError("no thread went to sleep");
        }
    }

    synchronized void release() {
        held = false;
        notifyAll();
    }
}
