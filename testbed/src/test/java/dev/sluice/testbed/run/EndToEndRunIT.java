package dev.sluice.testbed.run;

import dev.sluice.testbed.report.ReportTables;
import dev.sluice.testbed.report.ReportWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One short real comparison (overload at a small time scale, stock and sluice-drop, real local-cluster Spark 3.5.7,
 * the real agent jar): the report's table must be filled from these runs. Runs in {@code mvn verify} (failsafe,
 * after package, so the job jar exists). Needs agent/target/sluice-agent-0.1.0-SNAPSHOT.jar (the reactor builds the
 * agent module first).
 *
 * <p>Not named Test*: Surefire's default includes match {@code **}{@code /Test*.java}, which ran this as a unit test
 * before the job jar existed. The capacity is given ({@code --capacity}) rather than probed: the probe's decisions
 * are unit-tested (CapacityStaircaseTest) and on a busy machine its staircase takes minutes; this test checks that a
 * real comparison fills the report, not the probe. Goodput is therefore relative to that nominal figure and only
 * checked to be positive.
 */
class EndToEndRunIT {

    /** Records/s; overload offers 5x this, well past what 2 cores sustain with this job. */
    static final int NOMINAL_CAPACITY = 4000;

    @Test
    void shortOverloadRunFillsTheReportFromRealRuns() throws Exception {
        Path agentJar = Paths.get("..", "agent", "target", "sluice-agent-0.1.0-SNAPSHOT.jar").toAbsolutePath()
                .normalize();
        assertTrue(Files.isRegularFile(agentJar), "the agent jar must be built first: " + agentJar);
        Path out = Paths.get("target", "it-testbed-run").toAbsolutePath();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path report;
        try (PrintStream ps = new PrintStream(console, true, StandardCharsets.UTF_8)) {
            report = Main.run(new String[] {"--scenario", "overload", "--modes", "stock,sluice-drop",
                    "--time-scale", "0.06", "--capacity", String.valueOf(NOMINAL_CAPACITY), "--out", out.toString(), "--agent-jar", agentJar.toString()}, ps);
        }
        String log = console.toString(StandardCharsets.UTF_8);
        assertNotNull(report, log);
        String md = Files.readString(report);

        List<String[]> rows = ReportTables.rows(md, ReportWriter.COLUMNS);
        List<String[]> limit = ReportTables.rows(md, ReportWriter.LIMIT_COLUMNS);
        assertEquals(2, limit.size(), md);
        assertEquals(2, rows.size(), md);
        for (String[] r : rows) {
            String mode = r[0];
            assertEquals("ok", r[1], mode + " run status; log:\n" + log);
            for (String column : List.of("steady sched. delay (s)", "peak sched. delay (s)",
                    "data age p50 / p95 / max (s)", "peak heap after GC (MB)", "min free storage (MB)")) {
                String v = r[ReportWriter.COLUMNS.indexOf(column)];
                assertFalse(v.startsWith("n/a"), mode + ": '" + column + "' not filled: " + v + "\n" + md);
            }
            String[] l = limit.get(rows.indexOf(r));
            double goodput = Double.parseDouble(l[ReportWriter.LIMIT_COLUMNS.indexOf("goodput (÷ capacity)")]);
            assertTrue(goodput > 0, mode + " processed records in the steady window: " + goodput);
        }
        // The agent was really attached in the sluice-drop run: its executors wrote their CSVs and dropped records.
        Path dropDir = out.resolve("overload").resolve("sluice-drop");
        try (var files = Files.list(dropDir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("sluice-executor-")),
                    "no agent CSV in " + dropDir);
        }
        String lost = limit.get(1)[ReportWriter.LIMIT_COLUMNS.indexOf("lost (Sluice + source)")];
        long sluiceDrops = Long.parseLong(lost.replaceAll(".*\\((\\d+) \\+ \\d+\\)", "$1"));
        assertTrue(sluiceDrops > 0, "5x overload: sluice-drop must drop records: " + lost);
        for (String chart : List.of("free-memory", "heap-after-gc", "rates", "scheduling-delay", "drops", "data-age",
                "processing-time", "source-refusals")) {
            Path png = out.resolve("overload-" + chart + ".png");
            assertTrue(Files.size(png) > 5_000, png.toString());
        }
    }
}
