package dev.sluice.reactive;

/**
 * Where a {@link SubscriptionSession} runs its work and what time it reads. The production one is a single daemon
 * thread on the real clock ({@link ThreadSessionScheduler}); tests pass one they drive by hand, so no test waits on
 * the wall clock. One scheduler serves one session.
 */
public interface SessionScheduler {

    /** Runs {@code task} once, as soon as possible, without waiting for it. */
    void execute(Runnable task);

    /**
     * Runs {@code tick} every {@code periodMillis}, first one period from now, at a fixed rate: ticks missed during a
     * stall run back to back afterwards.
     */
    void scheduleAtFixedRate(Runnable tick, long periodMillis);

    /** The time ticks compare against, in the sense of {@link System#nanoTime()}. */
    long nanoTime();

    /**
     * Runs nothing new; a task in progress finishes. Unless called from within a task, waits up to
     * {@code maxWaitMillis} for it. Idempotent.
     */
    void stop(long maxWaitMillis);
}
