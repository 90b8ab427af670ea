package dev.sluice.receiver.executor;

import java.util.concurrent.TimeUnit;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.strategy.builtin.StreamGate;

/**
 * Bounds the calls into user strategies ({@code sluice.userStrategy.deadline}): a daemon thread that, every tenth of the
 * deadline, asks each live stream's gate whether its user strategy has been inside a call for the deadline
 * ({@link StreamGate#checkStrategyDeadline}); such a stream is switched to throttle and the stuck call interrupted. So a
 * strategy that blocks holds its receiver at most about 1.2 deadlines, and one that ignores the interrupt holds only the
 * call in flight. Runs only while a stream with a user strategy is live; the storing threads pay two atomic adds and a
 * compare-and-set per call, nothing else (no clock read, no allocation).
 */
final class StrategyDeadlineWatch {

    private static final Object LOCK = new Object();
    private static final long MIN_TICK_MS = 10;
    private static Thread thread;

    private StrategyDeadlineWatch() {
    }

    /** Starts the watcher if {@code stream} has a user strategy and a deadline, and none runs yet. */
    static void startFor(ManagedStream stream, long deadlineMs) {
        if (deadlineMs <= 0 || !stream.gate().isStrategyWatched()) {
            return;
        }
        synchronized (LOCK) {
            if (thread != null) {
                return;
            }
            final long tickMs = Math.max(MIN_TICK_MS, deadlineMs / 10);
            thread = new Thread(new Runnable() {
                @Override
                public void run() {
                    loop(tickMs);
                }
            }, "sluice-strategy-deadline");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Stops the watcher when no live stream is left. */
    static void stopIfIdle() {
        Thread stopping;
        synchronized (LOCK) {
            if (thread == null || !StreamGates.all().isEmpty()) {
                return;
            }
            stopping = thread;
            thread = null;
        }
        stopping.interrupt();
    }

    static boolean isRunning() {
        synchronized (LOCK) {
            return thread != null;
        }
    }

    private static void loop(long tickMs) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(tickMs);
                long now = System.nanoTime();
                for (ManagedStream s : StreamGates.all()) {
                    s.gate().checkStrategyDeadline(now);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                AdviceErrors.record(AdviceErrors.Hook.STRATEGY_DEADLINE, t);
            }
        }
    }

    static long deadlineNanos(long deadlineMs) {
        return deadlineMs > 0 ? TimeUnit.MILLISECONDS.toNanos(deadlineMs) : Long.MAX_VALUE;
    }
}
