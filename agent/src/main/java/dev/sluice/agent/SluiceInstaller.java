package dev.sluice.agent;

import dev.sluice.runtime.SluiceLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicLong;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Wires the advice into Spark's classes: retransformation (Spark classes may already be loaded when attached late), no
 * class-format changes (advice is inlined into existing methods, nothing is added: the class is only decorated, which
 * retransformation permits), exact-name matchers for the hooked classes and methods.
 */
public final class SluiceInstaller {

    static final AtomicLong TRANSFORMED = new AtomicLong();
    static final AtomicLong TRANSFORM_ERRORS = new AtomicLong();

    private SluiceInstaller() {
    }

    /**
     * @param checkAtLoad the hooked classes were not visible at start-up: verify hooks against each class loader the
     *                    first time one of them loads, and leave that loader's Spark untouched on a mismatch
     */
    public static void install(Instrumentation instrumentation, boolean checkAtLoad) {
        builder(checkAtLoad).installOn(instrumentation);
    }

    static AgentBuilder builder(boolean checkAtLoad) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new CountingListener());
        ClassLoader agentLoader = SluiceInstaller.class.getClassLoader();
        CompatibleLoader compatibleLoader = new CompatibleLoader();
        for (String className : Hooks.classNames()) {
            AgentBuilder.Transformer.ForAdvice transformer = new AgentBuilder.Transformer.ForAdvice()
                    .include(agentLoader)
                    .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
            for (HookPoint hook : Hooks.of(className)) {
                transformer = transformer.advice(named(hook.methodName).and(hasDescriptor(hook.descriptor)),
                        hook.adviceClass);
            }
            AgentBuilder.Identified.Narrowable type = builder.type(named(className));
            if (checkAtLoad) {
                type = type.and(compatibleLoader);
            }
            builder = type.transform(transformer);
        }
        // Kafka direct streams: an optional area with its own check (the connector may be absent or differ).
        return KafkaInstall.register(builder, agentLoader);
    }

    /** Verifies the hooks once per class loader when the classes were not visible at start-up. */
    static final class CompatibleLoader extends OncePerLoader {
        @Override
        String refusal(ClassLoader loader) {
            SparkCompatibility.Result r = SparkCompatibility.check(loader);
            return r.compatible ? null : r.problem != null ? r.problem
                    : "Sluice: Spark Streaming classes incomplete in " + loader + "; left uninstrumented";
        }
    }

    /** Counts transformations and their errors; logs each transformed class and the first error per class. */
    static final class CountingListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            TRANSFORMED.incrementAndGet();
            SluiceLog.info("instrumented " + type.getName() + (loaded ? " (retransformed)" : ""));
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            TRANSFORM_ERRORS.incrementAndGet();
            SluiceLog.error("could not instrument " + typeName + "; it runs unadvised", error);
        }
    }

    public static long transformed() {
        return TRANSFORMED.get();
    }

    public static long transformErrors() {
        return TRANSFORM_ERRORS.get();
    }
}
