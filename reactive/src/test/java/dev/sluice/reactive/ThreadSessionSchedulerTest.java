package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The production scheduler's thread, checked on events only (latches counted down by its tasks, with a liveness
 * bound); how often it ticks is not asserted.
 */
class ThreadSessionSchedulerTest {

    private static final long LIVENESS_SECONDS = 20;

    @Test
    void tasksAndTicksRunOnOneNamedDaemonThread() throws Exception {
        ThreadSessionScheduler scheduler = new ThreadSessionScheduler("session-under-test");
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        AtomicReference<Thread> tickThread = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        CountDownLatch ticks = new CountDownLatch(3);
        scheduler.execute(() -> {
            taskThread.set(Thread.currentThread());
            ran.countDown();
        });
        scheduler.scheduleAtFixedRate(() -> {
            tickThread.set(Thread.currentThread());
            ticks.countDown();
        }, 1);
        assertTrue(ran.await(LIVENESS_SECONDS, TimeUnit.SECONDS));
        assertTrue(ticks.await(LIVENESS_SECONDS, TimeUnit.SECONDS));
        scheduler.stop(TimeUnit.SECONDS.toMillis(LIVENESS_SECONDS));
        assertEquals("session-under-test", taskThread.get().getName());
        assertTrue(taskThread.get().isDaemon());
        assertSame(taskThread.get(), tickThread.get());
    }

    @Test
    void stopFromItsOwnThreadDoesNotWaitForItself() throws Exception {
        ThreadSessionScheduler scheduler = new ThreadSessionScheduler("t");
        CountDownLatch stopReturned = new CountDownLatch(1);
        // A synchronous publisher completing inside a tick stops the session from the session thread.
        scheduler.execute(() -> {
            scheduler.stop(TimeUnit.DAYS.toMillis(1));
            stopReturned.countDown();
        });
        assertTrue(stopReturned.await(LIVENESS_SECONDS, TimeUnit.SECONDS), "stop waited for its own task");
    }
}
