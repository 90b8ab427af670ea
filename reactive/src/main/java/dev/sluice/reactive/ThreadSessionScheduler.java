package dev.sluice.reactive;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The production {@link SessionScheduler}: one named daemon thread, real time. */
public final class ThreadSessionScheduler implements SessionScheduler {

    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    public ThreadSessionScheduler(final String threadName) {
        this.executor = Executors.newSingleThreadScheduledExecutor(new ThreadFactory() {
            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                thread = t;
                return t;
            }
        });
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public void scheduleAtFixedRate(Runnable tick, long periodMillis) {
        executor.scheduleAtFixedRate(tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void stop(long maxWaitMillis) {
        // shutdown, not shutdownNow: interrupting a store in progress would lose its block; the periodic tick is
        // cancelled by shutdown, a running one finishes.
        executor.shutdown();
        if (Thread.currentThread() == thread) {
            return; // waiting for ourselves would never end
        }
        try {
            if (!executor.awaitTermination(maxWaitMillis, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
