package dev.sluice.agent.metrics;

import dev.sluice.agent.JvmRole;
import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.sql.driver.QueryAdmission;
import dev.sluice.sql.driver.QueryOptions;
import dev.sluice.sql.driver.QueryRuns;
import dev.sluice.sql.driver.RowLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A governed Structured Streaming query's meters, summary line and CSV lines: the query is Sluice's own admission fed
 * one batch of progress as Spark writes it; the meters go through Codahale as Spark nests Sluice's source and are
 * rendered by Spark's real PrometheusServlet.
 */
class QueryMetersTest {

    private static final String KAFKA = "KafkaV2[Subscribe[orders]]";
    private final AtomicBoolean active = new AtomicBoolean(true);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        active.set(false);
        QueryRuns.live(); // forgets the stopped run
    }

    /** A run of query 'orders' (2 s trigger) after one batch: limit 200, 200 rows admitted, 59 800 behind, 1.5 s. */
    private QueryAdmission runAfterOneBatch() {
        QueryAdmission q = new QueryAdmission("'orders' (run r1)", "orders", QueryOptions.ofInterval(2000), 100,
                RateEstimators.create(EstimatorSettings.builder(2000).build()), line -> { });
        QueryRuns.started(q, active::get);
        assertEquals(200, q.maxRows(new Object(), KAFKA, RowLimit.NO_CAP));
        q.completed(0, 1_000_000, 1500, new QueryAdmission.ProgressSource[] {new QueryAdmission.ProgressSource(KAFKA,
                200, "{\"orders\":{\"0\":0,\"1\":0}}", "{\"orders\":{\"0\":110,\"1\":90}}",
                "{\"orders\":{\"0\":30000,\"1\":30000}}")});
        return q;
    }

    private static String prometheus(com.codahale.metrics.MetricRegistry spark) {
        return new org.apache.spark.metrics.sink.PrometheusServlet(new java.util.Properties(), spark)
                .getMetricsSnapshot(null);
    }

    private static void sync(SparkMetricsSource source) {
        Map<String, SparkMeterNames.Reading> readings = SparkMeterNames.current(Collections.emptyList(),
                Collections.emptyList());
        source.addMissing(readings);
        source.removeGone(readings);
    }

    @Test
    void aQuerysMetersReachSparksSinksAndLeaveWhenItStops() {
        runAfterOneBatch();
        SparkMetricsSource source = new SparkMetricsSource();
        sync(source);
        com.codahale.metrics.MetricRegistry spark = new com.codahale.metrics.MetricRegistry();
        spark.register("app-1.driver.sluice", source.metricRegistry());
        String text = prometheus(spark);
        String p = "metrics_app_1_driver_sluice_query_orders_";
        assertTrue(text.contains(p + "kafka0_limit_Value{type=\"gauges\"} 200\n"), text);
        assertTrue(text.contains(p + "kafka0_lastBatchAdmitted_Value{type=\"gauges\"} 200\n"), text);
        assertTrue(text.contains(p + "kafka0_admitted_Value{type=\"gauges\"} 200\n"), text);
        assertTrue(text.contains(p + "kafka0_backlog_Value{type=\"gauges\"} 59800\n"), text);
        assertTrue(text.contains(p + "lastBatchDurationMs_Value{type=\"gauges\"} 1500\n"), text);
        assertTrue(text.contains(p + "targetMs_Value{type=\"gauges\"} 2000\n"), text);

        active.set(false);
        sync(source);
        assertFalse(prometheus(spark).contains("query_orders"), "meters follow their query: " + prometheus(spark));
        assertTrue(prometheus(spark).contains("sluice_adviceErrors"), "the rest of the source stays");
    }

    @Test
    void aRestartedRunUnderTheSameNameKeepsTheNamesAndShowsTheNewRun() {
        runAfterOneBatch();
        SparkMetricsSource source = new SparkMetricsSource();
        sync(source);
        QueryAdmission restarted = new QueryAdmission("'orders' (run r2)", "orders", QueryOptions.ofInterval(1000), 100,
                RateEstimators.create(EstimatorSettings.builder(1000).build()), line -> { });
        QueryRuns.started(restarted, active::get);
        restarted.maxRows(new Object(), KAFKA, RowLimit.NO_CAP);
        sync(source);
        assertEquals(100L, ((com.codahale.metrics.Gauge<?>) source.metricRegistry().getMetrics()
                .get("query.orders.kafka0.limit")).getValue());
        assertEquals(-1L, ((com.codahale.metrics.Gauge<?>) source.metricRegistry().getMetrics()
                .get("query.orders.kafka0.backlog")).getValue(), "no batch of the new run yet");
    }

    @Test
    void theSummaryLineAndTheDriversQueryCsv() throws Exception {
        runAfterOneBatch();
        List<String> summary = QueryReport.summaryLines(QueryRuns.live(), false);
        assertEquals(Collections.singletonList("Sluice query 'orders' (run r1) kafka0 " + KAFKA + ": limit=200 rows "
                + "lastBatchAdmitted=200 admitted=200 backlog=59800 lastBatch=1500ms target=2000ms trigger=2000ms "
                + "batch=0"), summary);

        MetricsReporter r = new MetricsReporter(new RuntimeSettings(Collections.singletonMap("sluice.metrics.file",
                dir.toString())), JvmRole.DRIVER);
        r.tick(42L, false);
        File csv = new File(dir.toFile(), "sluice-driver-" + MetricsReporter.pid() + "-queries.csv");
        List<String> lines = Files.readAllLines(csv.toPath());
        assertEquals(QueryReport.HEADER, lines.get(0));
        assertEquals("42,orders,kafka0,rows,200,200,200,59800,0,1500,2000,2000", lines.get(1));
        active.set(false);
        r.tick(43L, false);
        assertEquals(2, Files.readAllLines(csv.toPath()).size(), "no lines once the query stopped");
    }
}
