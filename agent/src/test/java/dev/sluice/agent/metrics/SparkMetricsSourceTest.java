package dev.sluice.agent.metrics;

import dev.sluice.receiver.driver.DriverStreams;
import dev.sluice.receiver.executor.ManagedStream;
import dev.sluice.receiver.executor.StreamGates;
import org.apache.spark.SparkConf;
import org.apache.spark.metrics.MetricsSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sluice's source in Spark's real MetricsSystem, reported by Spark's real CSV sink (no SparkEnv, no cluster). */
class SparkMetricsSourceTest {

    @TempDir
    Path dir;

    @Test
    void sparksCsvSinkCarriesTheMetersIncludingStreamsThatAppearAfterRegistration() throws Exception {
        ManagedStream early = StreamGates.of(44);
        for (int i = 0; i < 3; i++) {
            early.gate().admitOne("r" + i);
        }
        MetricsSystem system = csvReporting("executor", "app-test", "7");
        try {
            SparkMetricsSource source = new SparkMetricsSource();
            source.addMissing(SparkMeterNames.current(StreamGates.all(), DriverStreams.all()));
            system.registerSource(source);
            assertEquals("app-test.7.sluice", system.buildRegistryName(source));

            ManagedStream late = StreamGates.of(45);
            late.gate().admitOne("x");
            source.addMissing(SparkMeterNames.current(StreamGates.all(), DriverStreams.all()));
            early.gate().admitOne("r3");
            system.report();

            assertEquals("4", lastValue("app-test.7.sluice.stream.44.offered"));
            assertEquals("4", lastValue("app-test.7.sluice.stream.44.admitted"));
            assertEquals("0", lastValue("app-test.7.sluice.stream.44.dropped"));
            assertEquals("-1", lastValue("app-test.7.sluice.stream.44.bound"), "no bound yet");
            assertEquals("1", lastValue("app-test.7.sluice.stream.45.offered"), "stream added after registration");
            assertEquals("0", lastValue("app-test.7.sluice.guard.level"));
            assertTrue(new File(dir.toFile(), "app-test.7.sluice.adviceErrors.STORE_SINGLE.csv").isFile());
        } finally {
            system.stop();
        }
    }

    /** The driver's gauges exactly as Spark's PrometheusServlet renders them (the smoke test parses this format). */
    @Test
    void sparksPrometheusServletRendersTheDriversGauges() {
        dev.sluice.receiver.driver.DriverStreamsFixture.published(47, 1250, 4321);
        SparkMetricsSource source = new SparkMetricsSource();
        source.addMissing(SparkMeterNames.current(java.util.Collections.emptyList(), DriverStreams.all()));
        com.codahale.metrics.MetricRegistry spark = new com.codahale.metrics.MetricRegistry();
        spark.register("app-20261203081501-0000.driver.sluice", source.metricRegistry());
        String text = new org.apache.spark.metrics.sink.PrometheusServlet(new java.util.Properties(), spark)
                .getMetricsSnapshot(null);
        assertTrue(text.contains("metrics_app_20261203081501_0000_driver_sluice_stream_47_estimator_bound_Value"
                + "{type=\"gauges\"} 1250\n"), text);
        assertTrue(text.contains("metrics_app_20261203081501_0000_driver_sluice_stream_47_estimator_records_Value"
                + "{type=\"gauges\"} 4321\n"), text);
    }

    /**
     * A Kafka direct stream's meters through Spark's real MetricsSystem and CSV sink, registered once its first batch
     * is planned (a stream the driver does not plan has none).
     */
    @Test
    void aDirectStreamsPlanReachesSparksCsvSinkFromItsFirstPlannedBatch() throws Exception {
        dev.sluice.receiver.driver.DriverStream direct =
                dev.sluice.receiver.driver.DriverStreamsFixture.published(48, 900, 0);
        dev.sluice.receiver.driver.DriverStream receiverSide =
                dev.sluice.receiver.driver.DriverStreamsFixture.published(49, 900, 0);
        MetricsSystem system = csvReporting("driver", "app-direct", "driver");
        try {
            SparkMetricsSource source = new SparkMetricsSource();
            source.addMissing(SparkMeterNames.current(java.util.Collections.emptyList(), DriverStreams.all()));
            system.registerSource(source);
            assertTrue(source.metricRegistry().getNames().stream().noneMatch(n -> n.contains(".direct.")),
                    "no direct meters before a plan: " + source.metricRegistry().getNames());

            direct.planned().batchPlanned(100, new long[] {50_000, 25_000}, new long[] {67, 33});
            source.addMissing(SparkMeterNames.current(java.util.Collections.emptyList(), DriverStreams.all()));
            direct.planned().batchPlanned(900, new long[] {49_933, 24_967}, new long[] {600, 300});
            system.report();

            assertEquals("900", lastValue("app-direct.driver.sluice.stream.48.direct.bound"));
            assertEquals("900", lastValue("app-direct.driver.sluice.stream.48.direct.lastBatchAdmitted"));
            assertEquals("1000", lastValue("app-direct.driver.sluice.stream.48.direct.admitted"));
            assertEquals(String.valueOf(75_000 - 1_000), lastValue("app-direct.driver.sluice.stream.48.direct.lag"));
            assertEquals("900", lastValue("app-direct.driver.sluice.stream.48.estimator.bound"));
            assertTrue(!new File(dir.toFile(), "app-direct.driver.sluice.stream.49.direct.lag.csv").exists(),
                    "a stream the driver never planned has no direct meters");
        } finally {
            system.stop();
            dev.sluice.receiver.driver.DriverStreamsFixture.remove(direct);
            dev.sluice.receiver.driver.DriverStreamsFixture.remove(receiverSide);
        }
    }

    @Test
    void driverStreamsHaveEstimatorNamesThatNeverCollideWithTheReceiverSide() {
        java.util.Map<String, SparkMeterNames.Reading> names = SparkMeterNames.current(
                java.util.Collections.singletonList(StreamGates.of(46)), java.util.Collections.emptyList());
        assertTrue(names.containsKey("stream.46.bound"), names.keySet().toString());
        assertTrue(names.containsKey("stream.46.throttleWaitMs"), names.keySet().toString());
        assertTrue(names.keySet().stream().noneMatch(n -> n.contains(".estimator.")), names.keySet().toString());
    }

    @Test
    void theLinkChecksSparksClassesAndSwitchesItselfOffWithoutThem() {
        assertNull(SparkMetricsLink.incompatibility(SparkMetricsLink.class.getClassLoader()),
                "Spark 3.5.7 on the test class path must pass the check");
        ClassLoader noSpark = new URLClassLoader(new URL[0], null);
        String problem = SparkMetricsLink.incompatibility(noSpark);
        assertTrue(problem != null && problem.contains("com.codahale.metrics.MetricRegistry"), String.valueOf(problem));
        SparkMetricsLink link = new SparkMetricsLink(noSpark, true);
        link.sync(StreamGates.all(), DriverStreams.all());
        assertTrue(link.disabled());
    }

    /** Spark's real MetricsSystem for one instance, with Spark's CSV sink into {@link #dir}, reported by hand. */
    private MetricsSystem csvReporting(String instance, String appId, String executorId) {
        String sink = "spark.metrics.conf." + instance + ".sink.csv.";
        SparkConf conf = new SparkConf(false).set("spark.app.id", appId).set("spark.executor.id", executorId)
                .set(sink + "class", "org.apache.spark.metrics.sink.CsvSink").set(sink + "directory", dir.toString())
                .set(sink + "period", "1").set(sink + "unit", "hours");
        MetricsSystem system = MetricsSystem.createMetricsSystem(instance, conf);
        system.start(false);
        return system;
    }

    private String lastValue(String metric) throws Exception {
        File f = new File(dir.toFile(), metric + ".csv");
        assertTrue(f.isFile(), "Spark's CSV sink wrote no " + f.getName() + "; files: "
                + java.util.Arrays.toString(dir.toFile().list()));
        List<String> lines = Files.readAllLines(f.toPath(), StandardCharsets.UTF_8);
        String last = lines.get(lines.size() - 1);
        return last.substring(last.indexOf(',') + 1);
    }
}
