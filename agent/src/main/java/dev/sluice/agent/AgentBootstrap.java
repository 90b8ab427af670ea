package dev.sluice.agent;

import dev.sluice.agent.config.ConfigException;
import dev.sluice.agent.config.ConfigKeys;
import dev.sluice.agent.config.SluiceConfig;
import dev.sluice.agent.metrics.MetricsReporter;
import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceArea;
import dev.sluice.runtime.DriverRuntime;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/** Start-up: configuration, compatibility check, runtime, instrumentation, metrics. */
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
            System.err.println("Sluice: disabled by sluice.enabled=false; Spark runs uninstrumented");
            return;
        }
        // Each area is checked on its own: a mismatch leaves that area uninstrumented (one line), the others go on.
        List<ReferenceArea> checked = new ArrayList<ReferenceArea>();
        List<ReferenceArea> deferred = new ArrayList<ReferenceArea>();
        for (ReferenceArea area : Areas.ALL) {
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
        final MetricsReporter metrics = new MetricsReporter(settings, JvmRole.current());
        SluiceRuntime.install(settings, new ConfiguredEstimatorFactory(settings), new Runnable() {
            @Override
            public void run() {
                metrics.hostReady();
            }
        }, metrics.batchLog());
        metrics.start();
        if (!checked.isEmpty()) {
            SluiceInstaller.install(instrumentation, checked, false);
        }
        if (!deferred.isEmpty()) {
            SluiceInstaller.install(instrumentation, deferred, true);
        }
        if (!config.ignoredEnvironment().isEmpty()) {
            SluiceLog.warn("ignoring environment variables that name no Sluice key: " + config.ignoredEnvironment());
        }
        SluiceLog.info("Sluice " + VERSION + " active in this " + JvmRole.current().label + " JVM ("
                + (late ? "attached late" : "premain") + "; Spark areas checked at start-up: " + checked
                + (deferred.isEmpty() ? "" : ", to check when their classes load: " + deferred)
                + "); settings: " + config.describeUserSettings());
        if (late) {
            attachLate(instrumentation);
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
