package dev.sluice.runtime;

import java.util.HashMap;
import java.util.Map;

/** Installs runtime settings for a test and forgets every stream. */
final class RuntimeFixture {
    private RuntimeFixture() {
    }

    static void install(String... keyValues) {
        install(false, keyValues);
    }

    static void install(boolean walEnabled, String... keyValues) {
        install(dev.sluice.strategy.builtin.Clock.SYSTEM, walEnabled, keyValues);
    }

    static void install(dev.sluice.strategy.builtin.Clock clock, boolean walEnabled, String... keyValues) {
        Map<String, String> m = new HashMap<String, String>();
        m.put("sluice.guard.enabled", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        SluiceRuntime.install(new RuntimeSettings(m), null, null);
        StreamGates.resetForTests(new SparkExecutorConf(200, walEnabled), clock);
    }
}
