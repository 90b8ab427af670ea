package dev.sluice.testbed.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/results.md is generated from a recorded run's report: its tables, its charts, none of its machine paths. */
class ResultsPageTest {

    @Test
    void publishesTheReportsTablesAndChartsWithoutMachinePaths(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("testbed-out").resolve("20261203-080000"));
        ReportWriter.ScenarioRuns runs = ReportWriter.load(ReportFromRecordedRunsTest.recorded(run),
                ReportFromRecordedRunsTest.MODES);
        String header = "Spark 3.5.7 on local-cluster. Command: `./testbed.sh --scenario overload --out " + run
                + " --agent-jar /home/someone/sluice/agent/target/sluice-agent-0.1.0-SNAPSHOT.jar"
                + " --examples-jar /home/someone/sluice/examples/target/sluice-examples-0.1.0-SNAPSHOT.jar`.";
        String report = Files.readString(ReportWriter.write(run, List.of(runs), header));
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        Files.createDirectories(docs.resolve("results"));
        Files.writeString(docs.resolve("results").resolve("stale-chart.png"), "old");

        String page = Files.readString(ResultsPage.publish(run, docs));

        assertTrue(page.startsWith("# Results\n"), page);
        assertTrue(page.contains("./testbed.sh --publish-results testbed-out/20261203-080000"), page);
        assertTrue(page.contains("Command: `./testbed.sh --scenario overload`."), page);
        assertFalse(page.contains(tmp.toString()), "no absolute path of the machine: " + page);
        assertFalse(page.contains("/home/someone"), page);
        assertFalse(page.contains("# Sluice test bed report"), page);
        // Every table row of the report is on the page, unchanged.
        List<String> rows = report.lines().filter(l -> l.startsWith("| ")).toList();
        assertEquals(15, rows.size(), "three tables (control quality, against the limit, data age per phase): header "
                + "row and 4 modes each");
        for (String row : rows) {
            assertTrue(page.contains(row + "\n"), row);
        }
        // Every chart link resolves to a copied file; the previous page's charts are gone.
        Matcher m = Pattern.compile("\\]\\((results/[^)]+\\.png)\\)").matcher(page);
        int charts = 0;
        while (m.find()) {
            charts++;
            assertTrue(Files.size(docs.resolve(m.group(1))) > 1000, m.group(1));
        }
        assertEquals(8, charts, page);
        assertFalse(Files.exists(docs.resolve("results").resolve("stale-chart.png")));
    }

    @Test
    void aDirectoryWithoutReportIsRefusedByName(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResultsPage.publish(tmp, tmp.resolve("docs")));
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
    }
}
