package dev.sluice.testbed.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report built from CSVs recorded by real test bed runs (overload at time scale 0.1, Spark 3.5.7, this machine;
 * src/test/resources/recorded/overload/<mode>/): table filled, charts written.
 */
class ReportFromRecordedRunsTest {

    static final List<String> MODES = List.of("stock", "spark", "sluice-throttle", "sluice-drop");

    static Path recorded(Path tmp) throws Exception {
        return recorded(tmp, "overload", "stock");
    }

    /** Copies src/test/resources/recorded/<scenario>/ (which holds a run of {@code mode}) under tmp. */
    static Path recorded(Path tmp, String scenario, String mode) throws Exception {
        Path src = Paths.get(ReportFromRecordedRunsTest.class.getClassLoader()
                .getResource("recorded/" + scenario + "/" + mode + "/run.properties").toURI()).getParent().getParent();
        Path dst = tmp.resolve(scenario);
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path t = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
        return dst;
    }

    @Test
    void tableAndChartsFromRecordedRuns(@TempDir Path tmp) throws Exception {
        Path scenarioDir = recorded(tmp);
        ReportWriter.ScenarioRuns runs = ReportWriter.load(scenarioDir, MODES);
        assertEquals(MODES, runs.runs().stream().map(r -> r.mode).toList(), "rows in the order of the command");
        Path report = ReportWriter.write(tmp, List.of(runs), "recorded");
        String md = Files.readString(report);

        List<String[]> rows = rows(md, ReportWriter.COLUMNS);
        List<String[]> limit = rows(md, ReportWriter.LIMIT_COLUMNS);
        assertEquals(4, rows.size(), md);
        assertEquals(4, limit.size(), md);
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            assertEquals(ReportWriter.COLUMNS.size(), r.length);
            assertEquals(ReportWriter.LIMIT_COLUMNS.size(), limit.get(i).length);
            assertEquals("ok", cell(r, "run"));
            for (String c : List.of("steady sched. delay (s)", "peak sched. delay (s)", "data age p50 / p95 / max (s)",
                    "peak heap after GC (MB)", "min free storage (MB)")) {
                assertFalse(cell(r, c).contains("n/a"), r[0] + " " + c);
            }
            for (String c : List.of("goodput (÷ capacity)", "busy", "min loss probe / own", "lost ÷ min loss probe / own",
                    "lost (Sluice + source)", "backlog at stop")) {
                assertFalse(limitCell(limit.get(i), c).startsWith("n/a"), r[0] + " " + c);
            }
        }
        String[] stock = rows.get(0);
        // Overload holds 5x for 30 s: stock queues everything, so its oldest records waited tens of seconds.
        double stockMaxAge = Double.parseDouble(cell(stock, "data age p50 / p95 / max (s)").split(" / ")[2]);
        assertTrue(stockMaxAge > 20, "stock's data ages: " + cell(stock, "data age p50 / p95 / max (s)"));
        double throttleP95 = Double.parseDouble(cell(rows.get(2), "data age p50 / p95 / max (s)").split(" / ")[1]);
        double dropP95 = Double.parseDouble(cell(rows.get(3), "data age p50 / p95 / max (s)").split(" / ")[1]);
        assertTrue(dropP95 < throttleP95, "drop sheds, throttle keeps records waiting in front of the receiver: "
                + dropP95 + " vs " + throttleP95);
        // The loss of a shedding mode against the minimum any mode that stays in real time must shed.
        double dropVsMin = Double.parseDouble(limitCell(limit.get(3), "lost ÷ min loss probe / own").split(" ")[0]);
        assertTrue(dropVsMin > 0.5 && dropVsMin < 2, "sluice-drop lost ÷ min loss " + dropVsMin);
        assertEquals("0.00", limitCell(limit.get(0), "lost ÷ min loss probe / own").split(" ")[0],
                "stock queues, loses nothing");
        assertTrue(Double.parseDouble(cell(stock, "steady sched. delay (s)")) > 5, "stock: delay grows");
        assertEquals("never", cell(stock, "to steady from start (s / batches)"));
        assertTrue(Long.parseLong(limitCell(limit.get(0), "backlog at stop")) > 100_000, "stock keeps a backlog");
        assertEquals("0 (0 + 0)", limitCell(limit.get(0), "lost (Sluice + source)"), "stock loses nothing: it queues");
        assertTrue(limitCell(limit.get(1), "lost (Sluice + source)").matches("\\d+ \\(0 \\+ [1-9]\\d*\\)"),
                "spark throttles store(single): the socket fills and the source drops");
        assertTrue(limitCell(limit.get(3), "lost (Sluice + source)").matches("[1-9]\\d* \\([1-9]\\d* \\+ 0\\)"),
                "sluice-drop drops inside the receiver, the source loses nothing: " + limitCell(limit.get(3),
                        "lost (Sluice + source)"));
        assertTrue(Double.parseDouble(cell(rows.get(2), "steady sched. delay (s)")) < 1.0, "throttle is steady");

        // A chart per figure, PNG, non-trivial; bound only where the agent published one.
        for (String chart : List.of("free-memory", "heap-after-gc", "rates", "scheduling-delay", "drops", "data-age",
                "processing-time", "source-refusals")) {
            Path png = tmp.resolve("overload-" + chart + ".png");
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head, png.toString());
            assertTrue(Files.size(png) > 10_000, png + " " + Files.size(png));
            assertTrue(md.contains("](overload-" + chart + ".png)"), "report links " + chart);
        }
        assertTrue(Charts.boundSeries(runs.runs().get(0)).isEmpty(), "no bound without the agent");
        assertFalse(Charts.boundSeries(runs.runs().get(3)).isEmpty(), "sluice-drop published a bound");
        List<String> summary = Files.readAllLines(tmp.resolve("summary.csv"));
        assertEquals(5, summary.size());
        assertTrue(summary.get(1).startsWith("overload,stock,ok,"), summary.get(1));
    }

    /**
     * A spike run recorded here (time scale 0.05, Spark 3.5.7, probe 3021/s, bracket 3021-3439/s; the machine was
     * busier during the modes than during the probe). Offered 0.7 x 3021 = 2115/s; during the 5 s spike the capacity
     * is 1510/s: the ideal queue reaches 5 x 604 = 3 021 spike records, 2 s of the cluster's work, done with the 30 %
     * it has spare after the spike: T* = 6.7 s; shedding instead
     * loses those 3 021 records.
     */
    @Test
    void spikeRunJudgedAgainstItsLimit(@TempDir Path tmp) throws Exception {
        List<String> modes = List.of("spark", "spark-tuned", "sluice-throttle", "sluice-drop");
        ReportWriter.ScenarioRuns runs = ReportWriter.load(recorded(tmp, "spike", "spark"), modes);
        String md = Files.readString(ReportWriter.write(tmp, List.of(runs), "recorded spike"));
        assertTrue(md.contains("probe capacity 3021/s, bracket 3021–3439/s: backlog at spike end 3021 records, T* 7 s, "
                + "minimum loss 3021 records; own = the same from the run's own capacity (its batches that took about the "
                + "interval; \"> not kept up\": above the probe's first step that did not keep up)"), md);
        List<String[]> rows = rows(md, ReportWriter.COLUMNS);
        List<String[]> limit = rows(md, ReportWriter.LIMIT_COLUMNS);
        assertEquals(modes, rows.stream().map(r -> r[0]).toList());
        for (String[] l : limit) {
            assertTrue(limitCell(l, "goodput ÷ step kept up / not").matches("\\d\\.\\d\\d / \\d\\.\\d\\d"), l[0]);
            assertTrue(limitCell(l, "own capacity (÷ probe)")
                    .matches("\\d+ \\(\\d\\.\\d\\d\\)( > not kept up)?|no full batch"), l[0]);
            assertTrue(limitCell(l, "busy").endsWith("%"), l[0]);
        }
        // sluice-drop stays in real time (back to it at once) but sheds far more than the least it had to.
        String[] drop = rows.get(3);
        assertEquals("0", cell(drop, "to recover after spike (s)"));
        double dropVsMin = Double.parseDouble(limitCell(limit.get(3), "lost ÷ min loss probe / own").split(" / ")[0]);
        assertTrue(dropVsMin > 2, "sluice-drop lost " + limitCell(limit.get(3), "lost (Sluice + source)"));
        long dropLost = Long.parseLong(limitCell(limit.get(3), "lost (Sluice + source)").split(" ")[0]);
        // Over half of it after the spike had ended, where the limit loses nothing.
        long dropLostAfter = Long.parseLong(limitCell(limit.get(3), "lost after spike"));
        assertEquals(15606, dropLostAfter);
        assertTrue(dropLostAfter > dropLost / 2, "of " + dropLost);
        assertEquals("0", limitCell(limit.get(2), "lost after spike"), "throttle loses nothing");
        // The throttle's scheduling delay is small, but its records wait in front of the receiver: not back to real
        // time, and older than what sluice-drop delivered.
        String[] throttle = rows.get(2);
        assertTrue(Double.parseDouble(cell(throttle, "steady sched. delay (s)")) < 1);
        assertEquals("never", cell(throttle, "to recover after spike (s)"));
        assertEquals("never / never", limitCell(limit.get(2), "to recover ÷ T* probe / own"));
        double p95 = Double.parseDouble(cell(throttle, "data age p50 / p95 / max (s)").split(" / ")[1]);
        double dropP95 = Double.parseDouble(cell(drop, "data age p50 / p95 / max (s)").split(" / ")[1]);
        assertTrue(p95 > 3 * dropP95, p95 + " vs " + dropP95);
        assertTrue(md.contains("| 4: hold 5s 0.7x cost 8 |"), "data age per phase names the spike: " + md);
    }

    static List<String[]> rows(String md, List<String> columns) {
        return ReportTables.rows(md, columns);
    }

    static String cell(String[] row, String column) {
        return row[ReportWriter.COLUMNS.indexOf(column)];
    }

    static String limitCell(String[] row, String column) {
        return row[ReportWriter.LIMIT_COLUMNS.indexOf(column)];
    }

}
