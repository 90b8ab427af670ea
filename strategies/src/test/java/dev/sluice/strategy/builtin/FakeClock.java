package dev.sluice.strategy.builtin;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Virtual time: {@link #sleepNanos} advances the clock instead of sleeping, so tests of waiting are exact and instant.
 * Optionally each read advances time by a tick (for multi-threaded tests where time must move without sleeps).
 */
final class FakeClock implements Clock {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final long tickPerRead;
    /** How often {@link #nanoTime()} was called: the store path's clock reads, for tests that count them. */
    final AtomicLong reads = new AtomicLong();
    final AtomicLong sleeps = new AtomicLong();
    final AtomicLong sleptNanos = new AtomicLong();
    final AtomicLong longestSleep = new AtomicLong();
    /** Called after each sleep with the sleep count; lets a test act "while a thread waits". */
    volatile LongConsumer onSleep = n -> { };

    FakeClock() {
        this(0);
    }

    FakeClock(long tickPerRead) {
        this.tickPerRead = tickPerRead;
    }

    @Override
    public long nanoTime() {
        reads.incrementAndGet();
        return tickPerRead == 0 ? now.get() : now.addAndGet(tickPerRead);
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (nanos <= 0) {
            throw new AssertionError("asked to sleep " + nanos + " ns");
        }
        now.addAndGet(nanos);
        sleptNanos.addAndGet(nanos);
        longestSleep.accumulateAndGet(nanos, Math::max);
        onSleep.accept(sleeps.incrementAndGet());
    }

    long now() {
        return now.get();
    }

    void advance(long nanos) {
        now.addAndGet(nanos);
    }

    /** Moves time forward to {@code t} if it is behind. */
    void advanceTo(long t) {
        now.accumulateAndGet(t, Math::max);
    }
}
