package dev.sluice.agent.metrics;

import dev.sluice.receiver.driver.DriverStream;
import dev.sluice.receiver.executor.ManagedStream;
import dev.sluice.runtime.SluiceLog;

import java.lang.reflect.Method;
import java.util.List;

/**
 * The metrics thread's way into Spark's metrics system, free of Spark types itself: before the Spark-typed classes
 * ({@link SparkMetricsRegistration}, {@link SparkMetricsSource}) are first loaded, the classes and methods they link
 * against are checked by reflection through the agent's own class loader. A mismatch (another Spark, another Codahale,
 * Spark loaded where the agent cannot see it) switches this part off with one line; the rest of Sluice runs on.
 */
final class SparkMetricsLink {

    private final ClassLoader loader;
    private final boolean jmx;
    private boolean checked;
    private boolean disabled;
    private SparkMetricsRegistration registration;

    /** @param jmx also report the source's gauges over JMX in domain {@code sluice} (Codahale's JmxReporter) */
    SparkMetricsLink(boolean jmx) {
        this(SparkMetricsLink.class.getClassLoader(), jmx);
    }

    SparkMetricsLink(ClassLoader loader, boolean jmx) {
        this.loader = loader;
        this.jmx = jmx;
    }

    /** Registers new meters, and the source itself once a SparkEnv exists. Never throws. */
    void sync(List<ManagedStream> streams, List<DriverStream> driverStreams) {
        if (disabled) {
            return;
        }
        try {
            if (!checked) {
                checked = true;
                String problem = incompatibility(loader);
                if (problem != null) {
                    disabled = true;
                    SluiceLog.warn("Spark's metrics system: " + problem + "; Sluice's meters stay out of it and out of JMX "
                            + "(the summary lines and sluice.metrics.file still carry them)");
                    return;
                }
                String jmxProblem = jmx ? jmxIncompatibility(loader) : null;
                if (jmxProblem != null) {
                    SluiceLog.warn("JMX domain sluice off: " + jmxProblem);
                }
                registration = new SparkMetricsRegistration(jmx && jmxProblem == null);
            }
            if (registration.sync(SparkMeterNames.current(streams, driverStreams))) {
                SluiceLog.info("meters registered in Spark's metrics system as source '" + SparkMeterNames.SOURCE_NAME
                        + "' (" + registration.registryName() + ".*): every sink in spark.metrics.conf carries them");
            }
        } catch (Throwable t) {
            disabled = true;
            SluiceLog.warn("Spark's metrics system: registering Sluice's source failed; Sluice's meters stay out of it",
                    t);
        }
    }

    boolean disabled() {
        return disabled;
    }

    /** Null when every class and method the Spark-typed classes link against is there, else what is missing. */
    static String incompatibility(final ClassLoader loader) {
        return problemOf(new Probe() {
            @Override
            public void run() throws ReflectiveOperationException {
                Class<?> registry = load(loader, "com.codahale.metrics.MetricRegistry");
                Class<?> metric = load(loader, "com.codahale.metrics.Metric");
                Class<?> source = load(loader, "org.apache.spark.metrics.source.Source");
                Class<?> system = load(loader, "org.apache.spark.metrics.MetricsSystem");
                Class<?> env = load(loader, "org.apache.spark.SparkEnv");
                expect(registry.getMethod("register", String.class, metric), metric);
                expect(registry.getMethod("getMetrics"), java.util.Map.class);
                expect(registry.getMethod("remove", String.class), boolean.class);
                expect(load(loader, "com.codahale.metrics.Gauge").getMethod("getValue"), Object.class);
                expect(source.getMethod("sourceName"), String.class);
                expect(source.getMethod("metricRegistry"), registry);
                expect(system.getMethod("registerSource", source), void.class);
                expect(system.getMethod("buildRegistryName", source), String.class);
                expect(env.getMethod("get"), env);
                expect(env.getMethod("metricsSystem"), system);
                expect(env.getMethod("isStopped"), boolean.class);
            }
        });
    }

    /** Codahale's JmxReporter (metrics-jmx, shipped with Spark), for domain {@code sluice}; null when usable. */
    static String jmxIncompatibility(final ClassLoader loader) {
        return problemOf(new Probe() {
            @Override
            public void run() throws ReflectiveOperationException {
                Class<?> reporter = load(loader, "com.codahale.metrics.jmx.JmxReporter");
                Class<?> builder = load(loader, "com.codahale.metrics.jmx.JmxReporter$Builder");
                expect(reporter.getMethod("forRegistry", load(loader, "com.codahale.metrics.MetricRegistry")), builder);
                expect(builder.getMethod("inDomain", String.class), builder);
                expect(builder.getMethod("build"), reporter);
                expect(reporter.getMethod("start"), void.class);
            }
        });
    }

    /** Looks classes and methods up by reflection; throws when one is missing or differs. */
    private interface Probe {
        void run() throws ReflectiveOperationException;
    }

    private static String problemOf(Probe probe) {
        try {
            probe.run();
            return null;
        } catch (ClassNotFoundException e) {
            return "class " + e.getMessage() + " not visible to the agent";
        } catch (NoSuchMethodException e) {
            return "method " + e.getMessage() + " not found";
        } catch (ReflectiveOperationException | IllegalStateException | LinkageError e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    private static Class<?> load(ClassLoader loader, String name) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }

    private static void expect(Method m, Class<?> returnType) {
        if (m.getReturnType() != returnType) {
            throw new IllegalStateException("method " + m + " returns " + m.getReturnType().getName() + ", not "
                    + returnType.getName());
        }
    }
}
