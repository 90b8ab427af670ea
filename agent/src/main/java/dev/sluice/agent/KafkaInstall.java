package dev.sluice.agent;

import dev.sluice.kafka.driver.KafkaDirectSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;


import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Wires the Kafka direct-stream area into the agent: its advice applies to {@code DirectKafkaInputDStream} only in a
 * class loader where {@link KafkaHooks#check} passes. The connector usually arrives with the application (often in
 * Spark's child class loader), so the check runs when the class loads, not at start-up. An application without Kafka
 * never triggers it; a connector that differs gets one line and stays unadvised, and the rest of Sluice is unaffected.
 */
final class KafkaInstall {

    private KafkaInstall() {
    }

    static AgentBuilder register(AgentBuilder builder, ClassLoader agentLoader) {
        AgentBuilder.Transformer.ForAdvice transformer = new AgentBuilder.Transformer.ForAdvice()
                .include(agentLoader)
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
        for (HookPoint hook : KafkaHooks.ALL) {
            transformer = transformer.advice(named(hook.methodName).and(hasDescriptor(hook.descriptor)),
                    hook.adviceClass);
        }
        return builder.type(named(KafkaHooks.DIRECT_STREAM)).and(new ConnectorCheck()).transform(transformer);
    }

    /** {@link KafkaHooks#check} once per class loader that loads the connector's stream class. */
    static final class ConnectorCheck extends OncePerLoader {
        @Override
        String refusal(ClassLoader loader) {
            String problem = KafkaHooks.check(TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader)));
            return problem == null ? null : "Sluice: Kafka direct streams left unmanaged: this "
                    + "spark-streaming-kafka-0-10 differs from what Sluice knows (" + problem + "); the rest of Sluice "
                    + "is unaffected";
        }

        @Override
        void accepted() {
            KafkaDirectSupport.enable();
        }
    }
}
