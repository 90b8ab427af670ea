package dev.sluice.agent.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import org.apache.spark.metrics.source.Source;

import java.util.Map;

/**
 * Sluice's meters as a source of Spark's metrics system ({@code sourceName} {@value SparkMeterNames#SOURCE_NAME}), so
 * every sink configured in {@code spark.metrics.conf} (PrometheusServlet, JMX, CSV, Graphite, {@code /metrics/json})
 * carries them. Spark's {@code MetricsSystem.registerSource} nests this registry in its own, and Codahale follows a
 * nested registry's later additions, so gauges for streams that appear later reach the sinks without re-registering.
 *
 * <p>Links against Spark's own {@code com.codahale.metrics} (never shaded into the agent jar) and Spark's
 * {@code Source} interface (descriptors read with javap on spark-core 3.5.7/2.12 and 4.1.0/2.13: identical);
 * {@link SparkMetricsLink} loads this class only after checking both by reflection in the running JVM.
 */
final class SparkMetricsSource implements Source {

    private final MetricRegistry registry = new MetricRegistry();

    @Override
    public String sourceName() {
        return SparkMeterNames.SOURCE_NAME;
    }

    @Override
    public MetricRegistry metricRegistry() {
        return registry;
    }

    /**
     * Removes the gauges of Structured Streaming queries that are no longer current (their query stopped): those
     * follow their query. Streams' gauges stay (they follow their stream by id and read -1 while it is gone). Codahale
     * passes the removal on to the registry Spark nested this one in, so sinks stop reporting them.
     */
    void removeGone(Map<String, SparkMeterNames.Reading> readings) {
        for (String name : registry.getMetrics().keySet()) {
            if (name.startsWith(SparkMeterNames.QUERY_PREFIX) && !readings.containsKey(name)) {
                registry.remove(name);
            }
        }
    }

    /** Adds a gauge for every name not registered yet; never removes one (gauges follow their stream by id). */
    void addMissing(Map<String, SparkMeterNames.Reading> readings) {
        Map<String, com.codahale.metrics.Metric> existing = registry.getMetrics();
        for (Map.Entry<String, SparkMeterNames.Reading> e : readings.entrySet()) {
            if (!existing.containsKey(e.getKey())) {
                final SparkMeterNames.Reading reading = e.getValue();
                registry.register(e.getKey(), new Gauge<Number>() {
                    @Override
                    public Number getValue() {
                        return reading.read();
                    }
                });
            }
        }
    }
}
