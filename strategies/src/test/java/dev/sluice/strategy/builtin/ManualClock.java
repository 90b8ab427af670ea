package dev.sluice.strategy.builtin;

/** Virtual time that only the test moves; a sleeping thread really blocks until the test has advanced past its wake-up. */
final class ManualClock implements Clock {

    private long now = 1_000_000_000L;
    private int sleepers;
    private long lastSleepRequest;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized void sleepNanos(long nanos) throws InterruptedException {
        long wake = now + nanos;
        lastSleepRequest = nanos;
        sleepers++;
        notifyAll();
        try {
            while (now < wake) {
                wait();
            }
        } finally {
            sleepers--;
        }
    }

    synchronized void advance(long nanos) {
        now += nanos;
        notifyAll();
    }

    /** Blocks until a thread sleeps; returns the nanoseconds it asked for. Liveness timeout only, no timing assertion. */
    synchronized long awaitSleeper(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (sleepers == 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new AssertionError("no thread went to sleep");
            }
            wait(left);
        }
        return lastSleepRequest;
    }
}
