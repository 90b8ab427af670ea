package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.DriverProcess;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Sluice's meters in Spark's own metrics system, on real multi-JVM Spark (local-cluster, the overload job under
 * {@code drop}), configured only through {@code spark.metrics.conf.*} properties as an operator would: the driver's
 * PrometheusServlet ({@code /metrics/prometheus} on the driver's UI port) is scraped while the job runs, and the
 * executors' meters are read from Spark's CSV sink on the executors. Both are compared with what the agent's own CSV
 * ({@code sluice.metrics.file}) and the job's own batch listener recorded.
 */
abstract class AbstractMetricsSmokeTest extends OneSparkLineSmokeTest {

    static final int RUN_SECONDS = 45;
    static final int ONE_SIDED_RUN_SECONDS = 35;
    /** A driver gauge {@code <app>.driver.sluice.stream.<id>.estimator.<name>} as PrometheusServlet prints it. */
    static final Pattern DRIVER_GAUGE = Pattern.compile(
            "^metrics_\\w+?_driver_sluice_stream_(\\d+)_estimator_(\\w+?)_Value\\{[^}]*} (\\S+)$", Pattern.MULTILINE);
    /** An executor file of Spark's CSV sink: {@code <app>.<executor id>.sluice.stream.<id>.<name>.csv}. */
    static final Pattern EXECUTOR_FILE = Pattern.compile("^[^.]+\\.(\\d+)\\.sluice\\.stream\\.(\\d+)\\.(\\w+)\\.csv$");

    record Scrape(long epochMs, String text) {
    }

    @Test
    void sparksMetricsSystemCarriesSluicesMetersOnTheDriverAndOnExecutors() throws Exception {
        int uiPort = freePort();
        Path runDir = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve("spark-metrics");
        Path executorSink = runDir.resolve("executor-metrics");
        Map<String, String> sluice = new LinkedHashMap<>();
        sluice.put("sluice.strategy", "drop");
        sluice.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        List<Scrape> scrapes = new ArrayList<>();
        OverloadRunData d = OverloadRunner.run(home, "spark-metrics", RUN_SECONDS, OverloadRunner.RATE_PER_RECEIVER,
                sluice, b -> b.conf("spark.ui.enabled", "true").conf("spark.ui.port", String.valueOf(uiPort))
                        .conf("spark.metrics.conf.driver.sink.prometheusServlet.class",
                                "org.apache.spark.metrics.sink.PrometheusServlet")
                        .conf("spark.metrics.conf.driver.sink.prometheusServlet.path", "/metrics/prometheus")
                        .conf("spark.metrics.conf.executor.sink.csv.class", "org.apache.spark.metrics.sink.CsvSink")
                        .conf("spark.metrics.conf.executor.sink.csv.directory", mkdirs(executorSink))
                        .conf("spark.metrics.conf.executor.sink.csv.period", "1")
                        .conf("spark.metrics.conf.executor.sink.csv.unit", "seconds"),
                driver -> scrapes.addAll(scrapeWhileRunning(driver, uiPort)));
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));

        // The driver: the last scrape that carried Sluice's source, judged against the agent's CSV and the job's batches.
        List<Scrape> withSluice = scrapes.stream().filter(s -> DRIVER_GAUGE.matcher(s.text()).find())
                .collect(Collectors.toList());
        assertTrue(withSluice.size() >= 3, scrapes.size() + " scrapes of http://localhost:" + uiPort
                + "/metrics/prometheus, " + withSluice.size() + " with Sluice's driver meters; last: "
                + (scrapes.isEmpty() ? "none" : scrapes.get(scrapes.size() - 1).text().lines().limit(20)
                .collect(Collectors.joining("\n"))));
        Scrape judged = withSluice.get(withSluice.size() - 1);
        Files.writeString(runDir.resolve("driver-prometheus-scrape.txt"), judged.text()); // kept for the record
        Map<String, Double> gauges = driverGauges(judged.text());
        StringBuilder fig = new StringBuilder(version() + " Spark metrics system: " + withSluice.size() + " of "
                + scrapes.size() + " driver scrapes carried source 'sluice'");
        for (int s : new int[] {SINGLE, ITERATOR}) {
            double bound = gauges.getOrDefault(s + ".bound", Double.NaN);
            // The driver also publishes a bound when a batch is submitted, and such a bound can live under a second:
            // neither the per-second CSV nor the completions' boundAfter need to hold it. So the servlet's value must
            // lie among the bounds those two record within 3 s, not be one of them.
            List<Long> csvBounds = driverCsvBounds(d, s, judged.epochMs() - 3000, judged.epochMs() + 3000);
            assertTrue(!csvBounds.isEmpty() && Math.round(bound) >= Collections.min(csvBounds)
                    && Math.round(bound) <= Collections.max(csvBounds), "stream " + s + ": the driver's servlet says "
                    + "bound " + bound + " at " + judged.epochMs() + ", the driver's own CSV within 3 s says "
                    + csvBounds);
            assertTrue(bound >= 100, "stream " + s + ": bound " + bound + " below sluice.rate.min's default");
            double records = gauges.getOrDefault(s + ".records", Double.NaN);
            long[] stored = storedByCompletion(d, s, judged.epochMs());
            assertTrue(records >= stored[0] && records <= stored[1], "stream " + s + ": the servlet says "
                    + records + " records completed, the job's own listener " + stored[0] + "-" + stored[1]
                    + " by then");
            assertTrue(gauges.getOrDefault(s + ".boundsPublished", 0.0) >= 1, "stream " + s + ": " + gauges);
            fig.append(String.format("%n    driver stream %d: bound %.0f/s (driver CSV %s), records %.0f (job "
                    + "listener %d-%d)", s, bound, csvBounds, records, stored[0], stored[1]));
        }
        assertFalse(judged.text().contains("_sluice_stream_0_offered"), "the driver's servlet carries only the "
                + "driver's sources; executor meters appear in executor sinks");

        // The executors: every row Spark's CSV sink wrote must lie between the agent's own samples around it.
        for (int s : new int[] {SINGLE, ITERATOR}) {
            for (String meter : new String[] {"offered", "admitted", "dropped"}) {
                fig.append("\n    ").append(judgeExecutorMeter(d, executorSink, s, meter));
            }
        }
        String executorLogs = d.run.executorOutput();
        assertTrue(executorLogs.contains("meters registered in Spark's metrics system as source 'sluice'"),
                "no executor registered Sluice's source");
        assertTrue(d.run.driverOutput().contains("meters registered in Spark's metrics system as source 'sluice'"),
                "the driver did not register Sluice's source");
        // Drops visible where users look: the summary's share and the WARN past sluice.metrics.dropWarnShare.
        assertTrue(Pattern.compile("Sluice stream \\d \\[drop]: .* dropped=\\d+ \\(\\d+\\.\\d % of offered over the "
                + "last 10 s\\)").matcher(executorLogs).find(), "no summary line with the dropped share");
        List<String> warns = executorLogs.lines().filter(l -> l.contains("WARN")
                && l.contains("more than sluice.metrics.dropWarnShare=0.5")).collect(Collectors.toList());
        assertTrue(!warns.isEmpty(), "no drop WARN at ~5x overload under drop");
        assertFalse(d.run.driverOutput().contains("the executors do not enforce the bound"),
                "the agent runs on both sides, yet the driver warned about unenforced bounds");
        fig.append("\n    executor WARN: ").append(warns.get(0).trim());
        Figures.record(fig.toString());
    }

    /**
     * The agent on the driver only (the executors start without it): the iterator stream's bulk stores, which Spark
     * never limits, run far past the bound and the driver says so; the store(single) stream is held by Spark's own
     * limiter, which applies the bounds Sluice publishes, so it is not reported (docs/metrics.md says so).
     */
    @Test
    void theDriverWarnsWhenTheExecutorsDoNotEnforceTheBound() {
        Map<String, String> sluice = new LinkedHashMap<>();
        sluice.put("sluice.strategy", "drop");
        sluice.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        OverloadRunData d = OverloadRunner.run(home, "driver-only", ONE_SIDED_RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, sluice, b -> {
                    AgentAttachment agent = b.build().agent();
                    b.noAgent().addDriverJvmOption(agent.jvmOption());
                }, driver -> { });
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        assertTrue(d.executorLines(ITERATOR).isEmpty() && d.executorLines(SINGLE).isEmpty(),
                "the executors were meant to run without the agent");
        List<String> warns = d.run.driverOutput().lines()
                .filter(l -> l.contains("the executors do not enforce the bound")).collect(Collectors.toList());
        assertEquals(1, warns.size(), "expected one unenforced-bound warning (iterator stream), got " + warns);
        assertTrue(warns.get(0).contains("stream " + ITERATOR + ":") && warns.get(0).contains("WARN")
                && warns.get(0).contains("name no -javaagent"), warns.get(0));
        Figures.record(version() + " driver-only agent: " + warns.get(0).trim());
    }

    private static List<Scrape> scrapeWhileRunning(DriverProcess driver, int port) {
        // Jetty answers the servlet's context path without a trailing slash with a redirect to path + "/".
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics/prometheus"))
                .timeout(Duration.ofSeconds(5)).build();
        List<Scrape> out = new ArrayList<>();
        long deadline = System.currentTimeMillis() + driver.spec().timeout().toMillis();
        while (driver.isAlive() && System.currentTimeMillis() < deadline) {
            try {
                HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
                out.add(new Scrape(System.currentTimeMillis(), r.statusCode() == 200 ? r.body()
                        : "HTTP " + r.statusCode() + " " + r.uri()));
            } catch (IOException notUpYet) {
                // the UI is not listening yet, or already stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(2000);
        }
        return out;
    }

    /** "stream.name" -> value of the driver's Sluice gauges in one scrape. */
    static Map<String, Double> driverGauges(String text) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = DRIVER_GAUGE.matcher(text);
        while (m.find()) {
            out.put(m.group(1) + "." + m.group(2), Double.parseDouble(m.group(3)));
        }
        return out;
    }

    /** The driver's bounds for the stream that the agent's own CSV recorded within [from, to]. */
    private static List<Long> driverCsvBounds(OverloadRunData d, int stream, long from, long to) {
        List<Long> out = d.agentLines.stream().filter(l -> "driver".equals(l.role()) && l.streamId() == stream
                && l.epochMs() >= from && l.epochMs() <= to).map(AgentLine::bound).collect(Collectors.toList());
        d.driverCompletions.stream().filter(c -> c[1] == stream && c[0] >= from && c[0] <= to)
                .forEach(c -> out.add(c[2]));
        return out;
    }

    /**
     * Records of the stream in the batches the job's own listener saw complete by {@code atMs} - 3 s (lower end) and
     * by {@code atMs} + 3 s (upper end); completion = batch time + total delay.
     */
    private static long[] storedByCompletion(OverloadRunData d, int stream, long atMs) {
        long lo = 0;
        long hi = 0;
        for (OverloadRunData.Batch b : d.batches) {
            long completed = b.timeMs() + b.totalMs();
            if (completed <= atMs - 3000) {
                lo += b.records()[stream];
            }
            if (completed <= atMs + 3000) {
                hi += b.records()[stream];
            }
        }
        return new long[] {lo, hi};
    }

    /**
     * Every value Spark's CSV sink wrote on the executor for one of the stream's counters (t in seconds; read at or
     * after t) must lie between the agent's own samples of that counter just before t and just after t + 1 s.
     */
    private static String judgeExecutorMeter(OverloadRunData d, Path sinkDir, int stream, String meter)
            throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(sinkDir)) {
            files = s.filter(p -> {
                Matcher m = EXECUTOR_FILE.matcher(p.getFileName().toString());
                return m.matches() && Integer.parseInt(m.group(2)) == stream && m.group(3).equals(meter);
            }).sorted().collect(Collectors.toList());
        }
        String what = "executor stream " + stream + " " + meter;
        assertFalse(files.isEmpty(), what + ": Spark's CSV sink wrote no file in " + sinkDir);
        Map<String, List<AgentLine>> agentByJvm = d.executorLines(stream).stream()
                .collect(Collectors.groupingBy(AgentLine::pidFile));
        int judged = 0;
        long last = -1;
        for (Path f : files) {
            List<long[]> rows = Csv.read(f).rows.stream().map(r -> new long[] {Csv.num(r, "t"), Csv.num(r, "value")})
                    .collect(Collectors.toList());
            String matched = null;
            int matchedRows = 0;
            for (Map.Entry<String, List<AgentLine>> jvm : agentByJvm.entrySet()) {
                int n = bracketed(rows, jvm.getValue(), meter);
                if (n > 0) {
                    matched = jvm.getKey();
                    matchedRows = n;
                }
            }
            assertTrue(matched != null, what + ": no executor JVM's agent CSV brackets the values of " + f.getFileName()
                    + " " + rows.stream().map(r -> r[0] + ":" + r[1]).collect(Collectors.joining(" ")));
            judged += matchedRows;
            last = Math.max(last, rows.get(rows.size() - 1)[1]);
        }
        assertTrue(judged >= 10, what + ": only " + judged + " sink rows could be judged");
        return String.format("%s: %d rows of Spark's executor CSV sink each within the agent's own samples around "
                + "them; last value %d", what, judged, last);
    }

    /** Rows bracketed by the agent's samples (-1 when some row contradicts them, 0 when none could be judged). */
    private static int bracketed(List<long[]> rows, List<AgentLine> agent, String meter) {
        List<AgentLine> sorted = agent.stream().sorted(java.util.Comparator.comparingLong(AgentLine::epochMs))
                .collect(Collectors.toList());
        int judged = 0;
        for (long[] row : rows) {
            AgentLine before = null;
            AgentLine after = null;
            for (AgentLine l : sorted) {
                if (l.epochMs() <= row[0] * 1000) {
                    before = l;
                } else if (l.epochMs() >= row[0] * 1000 + 2000 && after == null) {
                    after = l;
                }
            }
            if (before == null || after == null) {
                continue;
            }
            if (row[1] < value(before, meter) || row[1] > value(after, meter)) {
                return -1;
            }
            judged++;
        }
        return judged;
    }

    private static long value(AgentLine l, String meter) {
        switch (meter) {
            case "offered": return l.offered();
            case "admitted": return l.admitted();
            default: return l.dropped();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String mkdirs(Path dir) {
        try {
            OverloadRunner.deleteRecursively(dir);
            Files.createDirectories(dir);
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
