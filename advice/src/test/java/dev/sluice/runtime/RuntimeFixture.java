package dev.sluice.runtime;

import dev.sluice.strategy.builtin.Clock;

import java.util.HashMap;
import java.util.Map;

/** Installs runtime settings for a test and forgets every stream (and every hook's errors and breaker). */
final class RuntimeFixture {
    private RuntimeFixture() {
    }

    static void install(String... keyValues) {
        install(false, keyValues);
    }

    /** As {@link #install(String...)}, with streams whose budgets run on {@code clock}. */
    static void install(Clock clock, String... keyValues) {
        install(clock, false, keyValues);
    }

    static void install(boolean walEnabled, String... keyValues) {
        install(Clock.SYSTEM, walEnabled, keyValues);
    }

    static void install(Clock clock, boolean walEnabled, String... keyValues) {
        Map<String, String> m = new HashMap<String, String>();
        m.put("sluice.guard.enabled", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        SluiceRuntime.install(new RuntimeSettings(m), null, null);
        StreamGates.resetForTests(new SparkExecutorConf(200, walEnabled), clock);
        AdviceErrors.resetForTests();
    }
}
