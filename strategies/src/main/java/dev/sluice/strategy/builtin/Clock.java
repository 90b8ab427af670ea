package dev.sluice.strategy.builtin;

import java.util.concurrent.locks.LockSupport;

/**
 * Time as the budget sees it. Abstracted so tests run on virtual time (a fake clock that advances when asked to sleep)
 * instead of sleeping for real.
 */
public interface Clock {

    /** Monotonic nanoseconds, arbitrary origin (as {@link System#nanoTime()}). */
    long nanoTime();

    /**
     * Waits about {@code nanos} nanoseconds; may return early (callers re-check their condition in a loop).
     *
     * @throws InterruptedException if the thread is or becomes interrupted; the interrupt flag is then cleared
     */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The JVM's clock: {@link System#nanoTime()} and {@link LockSupport#parkNanos(long)}. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            // parkNanos rather than Thread.sleep: sub-millisecond precision, and no allocation.
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(nanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }

        @Override
        public String toString() {
            return "Clock.SYSTEM";
        }
    };
}
