package dev.sluice.runtime;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The agent's first-hook callback: where Spark's configuration joins, before any stream exists. */
class SluiceRuntimeFirstHookTest {

    @AfterEach
    void reset() {
        SluiceRuntime.install(RuntimeSettings.empty(), null, null);
    }

    @Test
    void theCallbackRunsOnceAndItsSettingsAreInForceWhenTheHookReturns() {
        final AtomicInteger runs = new AtomicInteger();
        final RuntimeSettings fromSpark = new RuntimeSettings(Collections.singletonMap("sluice.strategy", "drop"));
        SluiceRuntime.install(RuntimeSettings.empty(), null, new Runnable() {
            @Override
            public void run() {
                runs.incrementAndGet();
                SluiceRuntime.hookFired(); // a hook inside the callback (Spark calls back): no recursion
                SluiceRuntime.reconfigure(fromSpark, null, null);
            }
        });
        SluiceRuntime.hookFired();
        assertEquals("drop", SluiceRuntime.settings().strategyOf(0));
        SluiceRuntime.hookFired();
        assertEquals(1, runs.get());
    }

    @Test
    void aFailingCallbackIsContainedAndNotRetried() {
        final AtomicInteger runs = new AtomicInteger();
        SluiceRuntime.install(RuntimeSettings.empty(), null, new Runnable() {
            @Override
            public void run() {
                runs.incrementAndGet();
                throw new IllegalStateException("boom");
            }
        });
        SluiceRuntime.hookFired();
        SluiceRuntime.hookFired();
        assertEquals(1, runs.get());
        assertEquals("throttle", SluiceRuntime.settings().strategyOf(0));
    }
}
