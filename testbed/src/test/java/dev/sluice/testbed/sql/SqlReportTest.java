package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlReportTest {

    @Test
    void everyModesRowAndChartsFromHandMadeRuns(@TempDir Path out) throws Exception {
        RunResult ok = new RunResult(out, out, 0, false, 1000);
        SinkAudit once = SinkAudit.of(new long[] {1, 2}, new long[] {2, 1});
        SinkAudit lost = SinkAudit.of(new long[] {1, 2}, new long[] {1});
        List<SqlRunData> runs = List.of(
                new SqlRunData(SqlMode.NONE, "none", ok, List.of(new SqlBatch(0, 60_000, 92_000, 1000)), 1000,
                        t -> 60_000, 60_000, new SqlRunData.SpikeRows(70_000, 73_000), once, ""),
                new SqlRunData(SqlMode.STATIC, "maxFilesPerTrigger=65", ok, List.of(new SqlBatch(0, 1300, 2500, 1000),
                        new SqlBatch(1, 1300, 2100, 3500)), 1000, t -> 60_000, 60_000,
                        new SqlRunData.SpikeRows(70_000, 73_000), lost, ""),
                new SqlRunData(SqlMode.SLUICE, "none", ok, List.of(), -1, t -> 60_000, 60_000,
                        new SqlRunData.SpikeRows(0, 0), once, "the runner never saw the query start"));
        Path report = SqlReport.write(out, SqlScenario.BACKLOG_SPIKE, runs, 652, "measured in the none run", "header");
        String md = Files.readString(report);
        assertTrue(md.contains("| none | none | 60000, 92.0 | 1 of 1 | 1 of 1 | 92.0 (batch 0) | 92.0 (batch 0) |"), md);
        assertTrue(md.contains("| static | maxFilesPerTrigger=65 | 1300, 2.5 | 2 of 2 | 0 of 2 | not in 4.6 |"), md);
        assertTrue(md.contains("FAILED: 2 expected, 1 held, 1 missing"), md);
        assertTrue(md.contains("| sluice | none | no batch |"), md);
        assertTrue(md.contains("Note (sluice): the runner never saw the query start"), md);
        for (String chart : new String[] {"none-durations", "static-durations", "sluice-durations", "rows-read"}) {
            assertTrue(Files.size(out.resolve("charts").resolve("backlog-spike-" + chart + ".png")) > 0, chart);
        }
    }
}
