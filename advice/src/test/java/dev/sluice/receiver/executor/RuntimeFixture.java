package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.strategy.builtin.Clock;

import java.util.HashMap;
import java.util.Map;

/** Installs runtime settings for a test and forgets every stream (and every hook's errors and breaker). */
public final class RuntimeFixture {
    private RuntimeFixture() {
    }

    public static void install(String... keyValues) {
        install(false, keyValues);
    }

    /** As {@link #install(String...)}, with streams whose budgets run on {@code clock}. */
    public static void install(Clock clock, String... keyValues) {
        install(clock, false, keyValues);
    }

    public static void install(boolean walEnabled, String... keyValues) {
        install(Clock.SYSTEM, walEnabled, keyValues);
    }

    public static void install(Clock clock, boolean walEnabled, String... keyValues) {
        Map<String, String> m = new HashMap<String, String>();
        m.put("sluice.guard.enabled", "false");
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        SluiceRuntime.install(new RuntimeSettings(m), null, null);
        StreamGates.resetForTests(new SparkExecutorConf(200, walEnabled), clock);
        AdviceErrors.resetForTests();
    }

    /** Forgets every stream, with Spark's default block interval and no receiver WAL (tests of other packages). */
    public static void forgetStreams() {
        StreamGates.resetForTests(new SparkExecutorConf(200, false));
    }
}
