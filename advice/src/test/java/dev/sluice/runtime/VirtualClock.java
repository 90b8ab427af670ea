package dev.sluice.runtime;

import dev.sluice.strategy.builtin.Clock;

import java.util.concurrent.atomic.AtomicLong;

/** Virtual time for runtime tests: only the test (or a throttled thread's sleep) moves it; nothing really waits. */
final class VirtualClock implements Clock {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        now.addAndGet(Math.max(1, nanos));
    }

    void advanceMillis(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }
}
