package dev.sluice.agent;

import dev.sluice.agent.config.ConfigException;
import dev.sluice.agent.config.ConfigKeys;
import dev.sluice.agent.config.SluiceConfig;
import dev.sluice.agent.metrics.MetricsReporter;
import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import dev.sluice.receiver.driver.DriverRuntime;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;
import dev.sluice.runtime.SparkConfEntries;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Start-up in two steps. At JVM start (premain): configuration from the agent arguments, {@code -D}, the environment,
 * the file and the {@code spark.sluice.*} system properties; compatibility check; instrumentation; one start line on
 * stderr. When the first Spark hook fires (the driver's StreamingContext starts, an executor's receiver starts): Spark's
 * own configuration ({@code spark.sluice.*} in SparkConf) joins the sources, then metrics start and, on the driver, the
 * strategy classes are checked against the application's class path.
 */
final class AgentBootstrap {

    static final String VERSION = versionOf();

    /** Thrown only for sluice.failOnError=true with an invalid configuration. */
    static final class ExitRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        ExitRequested(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private static boolean started;

    private AgentBootstrap() {
    }

    static synchronized void start(String agentArgs, Instrumentation instrumentation, boolean late) {
        if (started) {
            System.err.println("Sluice: already started in this JVM; ignoring the second start");
            return;
        }
        SluiceConfig config;
        try {
            config = SluiceConfig.load(agentArgs);
        } catch (ConfigException e) {
            // Nothing will be installed, so no Spark hook will ever flush a buffered line: say it on stderr, now.
            System.err.println(e.getMessage());
            if (SluiceConfig.failOnErrorRequested(agentArgs, System.getProperties(), System.getenv())) {
                System.err.println("Sluice: sluice.failOnError=true: exiting");
                throw new ExitRequested(1);
            }
            System.err.println("Sluice: Spark runs uninstrumented");
            return;
        }
        if (!config.getBoolean(ConfigKeys.ENABLED)) {
            System.err.println("Sluice: disabled by " + config.nameAsWritten(ConfigKeys.ENABLED.name)
                    + "=false; Spark runs uninstrumented");
            return;
        }
        // Each area is checked on its own: a mismatch leaves that area uninstrumented (one line), the others go on.
        List<ReferenceArea> checked = new ArrayList<ReferenceArea>();
        List<ReferenceArea> deferred = new ArrayList<ReferenceArea>();
        for (ReferenceArea area : Areas.SPARK) {
            SparkCompatibility.Result r = SparkCompatibility.check(ClassLoader.getSystemClassLoader(), area);
            if (r.compatible) {
                checked.add(area);
            } else if (!r.classesVisible) {
                deferred.add(area);
            } else {
                System.err.println(r.problem);
            }
        }
        if (checked.isEmpty() && deferred.isEmpty()) {
            return;
        }
        started = true;
        RuntimeSettings settings = config.toRuntimeSettings();
        JvmRole role = JvmRole.current();
        FirstHook firstHook = new FirstHook(config, role, instrumentation);
        SluiceRuntime.install(settings, new ConfiguredEstimatorFactory(settings), firstHook, null);
        if (!checked.isEmpty()) {
            firstHook.transformers.add(SluiceInstaller.install(instrumentation, checked, false));
        }
        if (!deferred.isEmpty()) {
            firstHook.transformers.add(SluiceInstaller.install(instrumentation, deferred, true));
        }
        List<ReferenceArea> connectors = new ArrayList<ReferenceArea>();
        firstHook.transformers.add(SluiceInstaller.installKafkaDirect(instrumentation));
        connectors.add(Areas.KAFKA_DIRECT);
        if (config.getBoolean(ConfigKeys.SQL_ENABLED)) {
            firstHook.transformers.add(SluiceInstaller.installSql(instrumentation));
            connectors.add(Areas.SQL_KAFKA);
            connectors.add(Areas.SQL_KAFKA_V1);
            connectors.add(Areas.SQL_FILES);
            connectors.add(Areas.SQL_FILES_41);
        }
        // The start line goes to stderr at once: the host's logging is not set up yet, and a user looking for proof
        // that the agent runs must find it even when Spark never starts a stream or logs at WARN.
        System.err.println(startLine(config, role, late, checked, deferred, connectors));
        if (!config.ignoredEnvironment().isEmpty()) {
            SluiceLog.warn("ignoring environment variables that name no Sluice key: " + config.ignoredEnvironment());
        }
        if (late) {
            attachLate(instrumentation);
        }
    }

    /**
     * The one line that says Sluice runs and what it governs: the Spark areas checked now or when their classes load,
     * and the areas whose classes load later (Kafka direct, Structured Streaming's Kafka and file sources), checked in
     * the loader that loads them; an application without them is not touched.
     */
    static String startLine(SluiceConfig config, JvmRole role, boolean late, List<ReferenceArea> checked,
                            List<ReferenceArea> deferred, List<ReferenceArea> connectors) {
        // A JVM that only runs a main class with Spark on its class path (local mode, a harness) says which it is
        // when Spark starts; "unknown JVM" read like a fault.
        String which = role == JvmRole.UNKNOWN ? "JVM (driver or executor: read from Spark when it starts; "
                : role.label + " JVM (";
        return "Sluice " + VERSION + " active in this " + which + (late ? "attached late" : "premain")
                + (checked.isEmpty() ? "" : ", Spark areas checked at start-up: " + checked)
                + (deferred.isEmpty() ? "" : ", checked when their classes load: " + deferred)
                + (connectors.isEmpty() ? "" : ", areas checked where their classes load: " + connectors)
                + "); settings: " + config.describeUserSettings()
                + "; SparkConf's spark.sluice.* read when Spark starts";
    }

    /**
     * Runs once, at the first Spark hook, before any stream of this JVM is created: SparkEnv exists by then on the driver
     * (the StreamingContext starts after its SparkContext) and on executors (a receiver runs as a task).
     */
    static final class FirstHook implements Runnable {
        private final SluiceConfig startConfig;
        private final JvmRole startRole;
        private final Instrumentation instrumentation;
        /** One per group of areas installed; reset if SparkConf switches Sluice off. */
        final List<ResettableClassFileTransformer> transformers =
                new java.util.concurrent.CopyOnWriteArrayList<ResettableClassFileTransformer>();

        FirstHook(SluiceConfig startConfig, JvmRole startRole, Instrumentation instrumentation) {
            this.startConfig = startConfig;
            this.startRole = startRole;
            this.instrumentation = instrumentation;
        }

        @Override
        public void run() {
            Map<String, String> sparkConf = null;
            String sparkRole = null;
            try {
                sparkConf = SparkConfEntries.withPrefix(SluiceConfig.SPARK_PREFIX + "sluice.");
                sparkRole = SparkConfEntries.role();
            } catch (Throwable sparkNotVisible) {
                SluiceLog.warn("Spark's configuration is not readable from the agent (" + sparkNotVisible
                        + "); spark.sluice.* settings are not applied in this JVM");
            }
            apply(JvmRole.fromSparkEnv(sparkRole, startRole), sparkConf);
        }

        /** Completes the start with Spark's configuration ({@code spark.*} entries; null when there is none). */
        void apply(JvmRole role, Map<String, String> sparkConf) {
            SluiceConfig config = withSparkConf(startConfig, sparkConf, role, System.err);
            if (!config.getBoolean(ConfigKeys.ENABLED)) {
                disable(config);
                return;
            }
            RuntimeSettings settings = config.toRuntimeSettings();
            MetricsReporter metrics = new MetricsReporter(settings, role);
            SluiceRuntime.reconfigure(settings, new ConfiguredEstimatorFactory(settings), metrics.batchLog());
            metrics.hostReady();
            metrics.start();
            if (role == JvmRole.DRIVER) {
                // The application's classes are visible to the thread that starts the StreamingContext.
                for (String problem : StrategyClasses.problems(config, Thread.currentThread().getContextClassLoader(),
                        ClassLoader.getSystemClassLoader())) {
                    SluiceLog.error(problem + "; executors that cannot load it either throttle its streams instead",
                            null);
                }
            }
        }

        /**
         * {@code spark.sluice.enabled=false} arrived with SparkConf, after the instrumentation: take the advice out again
         * and leave nothing in force (no bound, no estimator, no metrics).
         */
        private void disable(SluiceConfig config) {
            SluiceRuntime.reconfigure(RuntimeSettings.empty(), null, null);
            for (ResettableClassFileTransformer t : transformers) {
                t.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            }
            System.err.println("Sluice: disabled by " + config.nameAsWritten(ConfigKeys.ENABLED.name)
                    + "=false; instrumentation removed, Spark runs uninstrumented");
        }
    }

    /**
     * The start-up configuration with Spark's added. When SparkConf changes what is in force, one line says what is now
     * in force; an invalid SparkConf value is reported (key, value, what is allowed) and SparkConf is then ignored.
     */
    static SluiceConfig withSparkConf(SluiceConfig startConfig, Map<String, String> sparkConf, JvmRole role,
                                      PrintStream out) {
        if (sparkConf == null) {
            return startConfig;
        }
        try {
            SluiceConfig merged = startConfig.withSparkConf(sparkConf);
            if (!merged.sameSettingsAs(startConfig)) {
                out.println("Sluice " + VERSION + " settings in this " + role.label + " JVM with SparkConf: "
                        + merged.describeUserSettings());
            }
            return merged;
        } catch (ConfigException e) {
            out.println(e.getMessage() + "; SparkConf's spark.sluice.* settings are ignored in this " + role.label
                    + " JVM, which keeps: " + startConfig.describeUserSettings());
            return startConfig;
        }
    }

    /**
     * agentmain: a StreamingContext may already run; attach to it through the public getActive(). DriverRuntime is
     * touched only when Spark Streaming is loaded (its signatures name Spark types).
     */
    private static void attachLate(Instrumentation instrumentation) {
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.getName().equals(Hooks.STREAMING_CONTEXT)) {
                DriverRuntime.attachToActiveContext();
                return;
            }
        }
    }

    private static String versionOf() {
        Package p = AgentBootstrap.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "(dev)" : v;
    }
}
