package dev.sluice.reactive;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SessionScheduler} on virtual time, driven by the test: {@link #execute} runs its task at once on the
 * calling thread, ticks run only inside {@link #advance} / {@link #runMissedTicks}, on the test's thread. One lock
 * serialises every task, as the real scheduler's single thread does, so a {@link #stop} from another thread waits
 * for a task in progress and one from inside a task does not wait for itself.
 */
final class ManualSessionScheduler implements SessionScheduler {

    private static final long MS = 1_000_000L;

    private final Object lock = new Object();
    private final CountDownLatch started = new CountDownLatch(1);
    private long nowNanos = 1_000 * MS; // any origin: the session only compares differences
    private Runnable tick;
    private long periodNanos;
    private long nextDueNanos;
    private boolean stopped;
    private int ticksRun;

    @Override
    public void execute(Runnable task) {
        synchronized (lock) {
            if (!stopped) {
                task.run();
            }
        }
    }

    @Override
    public void scheduleAtFixedRate(Runnable tick, long periodMillis) {
        synchronized (lock) {
            this.tick = tick;
            this.periodNanos = periodMillis * MS;
            this.nextDueNanos = nowNanos + periodNanos;
        }
        started.countDown();
    }

    @Override
    public long nanoTime() {
        synchronized (lock) {
            return nowNanos;
        }
    }

    @Override
    public void stop(long maxWaitMillis) {
        synchronized (lock) {
            stopped = true;
        }
    }

    /** Moves time forward by {@code millis}, running each tick at its due time, as an unhindered thread would. */
    void advance(long millis) {
        synchronized (lock) {
            long target = nowNanos + millis * MS;
            while (tick != null && !stopped && nextDueNanos <= target) {
                nowNanos = nextDueNanos;
                runTick();
            }
            nowNanos = target;
        }
    }

    /** Moves time forward by {@code millis} while the session thread is held up: no tick runs. */
    void stall(long millis) {
        synchronized (lock) {
            nowNanos += millis * MS;
        }
    }

    /** Runs the ticks missed during a stall back to back at the current time, as a fixed-rate executor does. */
    void runMissedTicks() {
        synchronized (lock) {
            while (tick != null && !stopped && nextDueNanos <= nowNanos) {
                runTick();
            }
        }
    }

    private void runTick() {
        nextDueNanos += periodNanos;
        ticksRun++;
        tick.run();
    }

    int ticksRun() {
        synchronized (lock) {
            return ticksRun;
        }
    }

    boolean isStopped() {
        synchronized (lock) {
            return stopped;
        }
    }

    /** Liveness only: waits for the session to have subscribed and scheduled its ticks (Spark's restart thread). */
    void awaitStarted() throws InterruptedException {
        if (!started.await(20, TimeUnit.SECONDS)) {
            throw new AssertionError("the session never started");
        }
    }
}
