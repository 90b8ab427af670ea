package dev.sluice.agent;

import dev.sluice.runtime.SluiceLog;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Wires the advice into Spark's classes: retransformation (Spark classes may already be loaded when attached late), no
 * class-format changes (advice is inlined into existing methods, nothing is added: the class is only decorated, which
 * retransformation permits), exact-name matchers for the hooked classes and methods, and only in the class loader whose
 * Spark the runtime links against ({@link HostLoader}).
 */
public final class SluiceInstaller {

    static final AtomicLong TRANSFORMED = new AtomicLong();
    static final AtomicLong TRANSFORM_ERRORS = new AtomicLong();

    private SluiceInstaller() {
    }

    /**
     * Installs every area of {@link Areas#SPARK}: see {@link #install(Instrumentation, List, boolean)}.
     */
    public static ResettableClassFileTransformer install(Instrumentation instrumentation, boolean checkAtLoad) {
        return install(instrumentation, Areas.SPARK, checkAtLoad);
    }

    /**
     * @param areas       the areas to instrument (each one passed its start-up check, or was not visible yet)
     * @param checkAtLoad the hooked classes were not visible at start-up: verify each area's references against each
     *                    class loader the first time one of its classes loads, and leave that loader's Spark
     *                    untouched for that area on a mismatch
     */
    public static ResettableClassFileTransformer install(Instrumentation instrumentation, List<ReferenceArea> areas,
                                                             boolean checkAtLoad) {
        return builder(areas, checkAtLoad).installOn(instrumentation);
    }

    static AgentBuilder builder(boolean checkAtLoad) {
        return builder(Areas.SPARK, checkAtLoad);
    }

    static AgentBuilder builder(List<ReferenceArea> areas, boolean checkAtLoad) {
        AgentBuilder builder = baseBuilder();
        ClassLoader agentLoader = SluiceInstaller.class.getClassLoader();
        for (ReferenceArea area : areas) {
            HostLoader hostLoader = new HostLoader(agentLoader, checkAtLoad ? area : null, SYSTEM_ERR);
            Map<String, List<HookPoint>> byClass = new LinkedHashMap<String, List<HookPoint>>();
            for (HookPoint hook : area.hooks) {
                List<HookPoint> hooks = byClass.get(hook.className);
                if (hooks == null) {
                    hooks = new ArrayList<HookPoint>();
                    byClass.put(hook.className, hooks);
                }
                hooks.add(hook);
            }
            for (Map.Entry<String, List<HookPoint>> e : byClass.entrySet()) {
                AgentBuilder.Transformer.ForAdvice transformer = new AgentBuilder.Transformer.ForAdvice()
                        .include(agentLoader)
                        .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
                for (HookPoint hook : e.getValue()) {
                    transformer = transformer.advice(named(hook.methodName).and(hasDescriptor(hook.descriptor)),
                            hook.adviceClass);
                }
                builder = builder.type(named(e.getKey())).and(hostLoader).transform(transformer);
            }
        }
        return builder;
    }

    /**
     * Kafka direct streams ({@link Areas#KAFKA_DIRECT}): an optional area whose generated references are checked in the
     * class loader that loads the connector (it may be absent, differ, or arrive with the application in a child
     * loader). Installed once, beside the Spark areas.
     */
    public static ResettableClassFileTransformer installKafkaDirect(Instrumentation instrumentation) {
        return KafkaInstall.register(baseBuilder(), SluiceInstaller.class.getClassLoader()).installOn(instrumentation);
    }

    /** Structured Streaming (Kafka v2 sources): see {@link SqlInstall}. */
    public static ResettableClassFileTransformer installSql(Instrumentation instrumentation) {
        return SqlInstall.register(baseBuilder(), SluiceInstaller.class.getClassLoader()).installOn(instrumentation);
    }

    private static AgentBuilder baseBuilder() {
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new CountingListener());
    }

    /** Where the matcher's one line goes: stderr (it runs while a class loads; the host's logging could recurse). */
    interface Report {
        void line(String message);
    }

    static final Report SYSTEM_ERR = new Report() {
        @Override
        public void line(String message) {
            System.err.println(message);
        }
    };

    /**
     * Decides once per defining class loader whether its Spark classes may be advised.
     *
     * <p>Spark outside the class loader of Sluice's runtime: refused with one line. The inlined advice calls Sluice's
     * runtime ({@code dev.sluice.receiver.*}, {@code dev.sluice.runtime}), which lives where the agent jar was loaded
     * (the system class loader, for {@code -javaagent}); there the runtime's own references to Spark resolve against
     * that loader's Spark, not against the one in a child loader (a child-first user class path, an application
     * server, an isolated test loader), so the first advised call would fail to link, on every record. Injecting a second copy of the runtime next to that Spark
     * would split its state (settings, streams, meters) between two copies; Sluice refuses instead, naming the loader
     * and the remedy (Spark on the application class path, as spark-submit does).
     *
     * <p>With an area to check (Spark was not visible at start-up), that area's references are also verified against
     * each accepted loader.
     */
    static final class HostLoader implements AgentBuilder.RawMatcher {
        private final ClassLoader runtimeLoader;
        /** The area whose references are checked per loader; null when they were checked at start-up. */
        private final ReferenceArea checkReferences;
        private final Report report;
        private final Map<ClassLoader, Boolean> verdicts =
                Collections.synchronizedMap(new WeakHashMap<ClassLoader, Boolean>());

        HostLoader(ClassLoader runtimeLoader, ReferenceArea checkReferences, Report report) {
            this.runtimeLoader = runtimeLoader;
            this.checkReferences = checkReferences;
            this.report = report;
        }

        @Override
        public boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> beingRedefined,
                               ProtectionDomain domain) {
            if (loader == null) {
                return checkReferences == null || verdict(ClassLoader.getSystemClassLoader(), type);
            }
            return verdict(loader, type);
        }

        private boolean verdict(ClassLoader loader, TypeDescription type) {
            Boolean verdict = verdicts.get(loader);
            if (verdict == null) {
                String refusal = refusal(loader, type);
                verdict = refusal == null;
                verdicts.put(loader, verdict);
                if (refusal != null) {
                    report.line(refusal);
                }
            }
            return verdict;
        }

        /** Null when {@code loader}'s Spark may be advised, else the one line saying why not. */
        private String refusal(ClassLoader loader, TypeDescription type) {
            if (!visibleFromRuntime(loader)) {
                return "Sluice: Spark class " + (type == null ? "(unknown)" : type.getName()) + " is loaded by " + loader
                        + ", outside the class loader of Sluice's runtime (" + runtimeLoader + "); Sluice's hooks "
                        + "cannot link there, so Spark in that loader stays uninstrumented (put Spark on the "
                        + "application class path, as spark-submit does)";
            }
            if (checkReferences == null) {
                return null;
            }
            SparkCompatibility.Result r = SparkCompatibility.check(loader, checkReferences);
            if (r.compatible) {
                return null;
            }
            return r.problem != null ? r.problem
                    : "Sluice: Spark Streaming classes incomplete in " + loader + "; left uninstrumented";
        }

        /** Whether {@code loader} is the runtime's loader or one of its ancestors (what the runtime resolves through). */
        private boolean visibleFromRuntime(ClassLoader loader) {
            for (ClassLoader l = runtimeLoader; l != null; l = l.getParent()) {
                if (l == loader) {
                    return true;
                }
            }
            return false;
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
