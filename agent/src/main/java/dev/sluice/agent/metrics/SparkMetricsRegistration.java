package dev.sluice.agent.metrics;

import com.codahale.metrics.jmx.JmxReporter;
import org.apache.spark.SparkEnv;

import java.util.Map;

/**
 * Registers the {@link SparkMetricsSource} with {@code SparkEnv.get().metricsSystem()} once a SparkEnv exists: on the
 * driver after the StreamingContext starts, on an executor after its first receiver hook (the metrics thread calls
 * this only once a Spark hook has fired). A JVM whose SparkEnv is replaced (a new SparkContext in the same driver)
 * gets the source registered again in the new one. Called from the metrics thread only.
 */
final class SparkMetricsRegistration {

    private final SparkMetricsSource source = new SparkMetricsSource();
    private SparkEnv registeredWith;

    /**
     * @param jmx also report the same gauges over JMX in domain {@code sluice}, without any Spark configuration
     *            (Spark's own JmxSink, when configured, shows them again under its domain {@code metrics})
     */
    SparkMetricsRegistration(boolean jmx) {
        if (jmx) {
            JmxReporter.forRegistry(source.metricRegistry()).inDomain(SparkMeterNames.SOURCE_NAME).build().start();
        }
    }

    /** @return true when the source was registered with a new SparkEnv by this call */
    boolean sync(Map<String, SparkMeterNames.Reading> readings) {
        source.addMissing(readings);
        source.removeGone(readings);
        SparkEnv env = SparkEnv.get();
        if (env == null || env == registeredWith || env.isStopped()) {
            return false;
        }
        env.metricsSystem().registerSource(source);
        registeredWith = env;
        return true;
    }

    /** What Spark calls the source's registry: {@code <app id>.<executor id>.sluice}, as sinks show it. */
    String registryName() {
        SparkEnv env = registeredWith;
        return env == null ? SparkMeterNames.SOURCE_NAME : env.metricsSystem().buildRegistryName(source);
    }

    SparkMetricsSource source() {
        return source;
    }
}
