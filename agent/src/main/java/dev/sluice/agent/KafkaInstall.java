package dev.sluice.agent;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceCheck;
import dev.sluice.kafka.driver.KafkaDirectSupport;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.io.IOException;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Wires the Kafka direct-stream area into the agent: its advice applies to {@code DirectKafkaInputDStream} only in a
 * class loader where the area's generated references ({@code META-INF/sluice/references/kafka-direct.txt},
 * {@link Areas#KAFKA_DIRECT}) all resolve. The connector usually arrives with the application (often in Spark's child
 * class loader), so the check runs when the class loads, against the classes that loader sees, not at start-up. An
 * application without Kafka never triggers it; a connector that differs gets one line naming what is missing and stays
 * unadvised, and the rest of Sluice is unaffected.
 */
final class KafkaInstall {

    private KafkaInstall() {
    }

    static AgentBuilder register(AgentBuilder builder, ClassLoader agentLoader) {
        return register(builder, agentLoader, new ConnectorCheck(agentLoader, SluiceInstaller.SYSTEM_ERR));
    }

    static AgentBuilder register(AgentBuilder builder, ClassLoader agentLoader, ConnectorCheck check) {
        AgentBuilder.Transformer.ForAdvice transformer = new AgentBuilder.Transformer.ForAdvice()
                .include(agentLoader)
                .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
        for (HookPoint hook : KafkaHooks.ALL) {
            transformer = transformer.advice(named(hook.methodName).and(hasDescriptor(hook.descriptor)),
                    hook.adviceClass);
        }
        return builder.type(named(KafkaHooks.DIRECT_STREAM)).and(check).transform(transformer);
    }

    /** The area's references against each class loader that loads the connector's stream class, once per loader. */
    static final class ConnectorCheck extends OncePerLoader {
        /** Where the generated reference file is: the agent's own loader. */
        private final ClassLoader agentLoader;

        ConnectorCheck(ClassLoader agentLoader, SluiceInstaller.Report report) {
            super(report);
            this.agentLoader = agentLoader;
        }

        @Override
        String refusal(TypeDescription type, ClassLoader loader) {
            List<String> references;
            try {
                references = ReferenceCheck.load(Areas.KAFKA_DIRECT, agentLoader);
            } catch (IOException e) {
                return unmanaged(e.getMessage());
            }
            ReferenceCheck.Outcome outcome = ReferenceCheck.check(
                    TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader)), references);
            if (!outcome.visible) {
                return unmanaged("class " + KafkaHooks.DIRECT_STREAM + " is not readable as a resource of " + loader);
            }
            if (outcome.problem == null) {
                return null;
            }
            String version = SparkCompatibility.jarVersion(loader,
                    KafkaHooks.DIRECT_STREAM.replace('.', '/') + ".class");
            return unmanaged("spark-streaming-kafka-0-10 " + (version == null ? "(unknown version)" : version)
                    + " differs from what Sluice knows: " + outcome.problem);
        }

        private static String unmanaged(String why) {
            return "Sluice: Kafka direct streams left unmanaged: " + why + "; the rest of Sluice is unaffected";
        }

        @Override
        void accepted() {
            KafkaDirectSupport.enable();
        }
    }
}
