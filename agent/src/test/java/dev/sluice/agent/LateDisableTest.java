package dev.sluice.agent;

import dev.sluice.agent.config.SluiceConfig;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceRuntime;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code spark.sluice.enabled=false} arrives with SparkConf, after the instrumentation was installed. */
class LateDisableTest {

    private ResettableClassFileTransformer transformer;
    private Instrumentation instrumentation;

    @AfterEach
    void cleanUp() {
        if (transformer != null) {
            instrumentation.removeTransformer(transformer);
        }
        SluiceRuntime.install(RuntimeSettings.empty(), null, null);
    }

    @Test
    void theAdviceIsTakenOutAndNothingStaysInForce() throws Exception {
        instrumentation = ByteBuddyAgent.install();
        SluiceConfig start = SluiceConfig.load("sluice.rate.initial=500", new Properties(),
                Collections.<String, String>emptyMap());
        AgentBootstrap.FirstHook hook = new AgentBootstrap.FirstHook(start, JvmRole.EXECUTOR, instrumentation);
        SluiceRuntime.install(start.toRuntimeSettings(), null, hook);
        transformer = SluiceInstaller.install(instrumentation, false);
        hook.transformers.add(transformer);

        hook.apply(JvmRole.EXECUTOR, Collections.singletonMap("spark.sluice.enabled", "false"));

        assertFalse(instrumentation.removeTransformer(transformer), "the transformer was still registered");
        transformer = null;
        assertTrue(SluiceRuntime.settings().asMap().isEmpty(), "settings left in force: "
                + SluiceRuntime.settings().asMap());
        assertEquals(0.0, SluiceRuntime.settings().getDouble("sluice.rate.initial", 0), 0.0);
    }

    @Test
    void otherwiseTheAdviceStays() throws Exception {
        instrumentation = ByteBuddyAgent.install();
        SluiceConfig start = SluiceConfig.load(null, new Properties(), Collections.<String, String>emptyMap());
        AgentBootstrap.FirstHook hook = new AgentBootstrap.FirstHook(start, JvmRole.EXECUTOR, instrumentation);
        transformer = SluiceInstaller.install(instrumentation, false);
        hook.transformers.add(transformer);
        hook.apply(JvmRole.EXECUTOR, Collections.singletonMap("spark.sluice.strategy", "drop"));
        assertEquals("drop", SluiceRuntime.settings().strategyOf(0));
        assertTrue(instrumentation.removeTransformer(transformer), "the transformer was removed");
        transformer = null;
    }
}
