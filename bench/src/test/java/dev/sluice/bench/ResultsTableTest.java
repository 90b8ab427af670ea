package dev.sluice.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The formatter turns JMH's JSON into the table rows the docs show; no benchmark is run here. */
class ResultsTableTest {

    private static List<ResultsTable.Row> sample() throws Exception {
        try (Reader reader = new InputStreamReader(ResultsTableTest.class.getResourceAsStream("/jmh-sample.json"),
                StandardCharsets.UTF_8)) {
            return ResultsTable.parse(JsonParser.parseReader(reader));
        }
    }

    @Test
    void readsConfigurationFromTheForkArguments() throws Exception {
        List<ResultsTable.Row> rows = sample();
        assertEquals(2, rows.size());
        ResultsTable.Row plain = rows.get(0);
        assertEquals("StoreBenchmark.storeSingle", plain.benchmark());
        assertEquals(false, plain.agent());
        assertEquals("none", plain.bound());
        assertTrue(Double.isNaN(plain.error()), "JMH writes NaN for a single iteration");
        ResultsTable.Row drop = rows.get(1);
        assertEquals(true, drop.agent());
        assertEquals("drop", drop.strategy());
        assertEquals("1000", drop.bound());
        assertEquals(5.25, drop.score(), 1e-9);
        assertEquals(0.0001, drop.bytesPerOp(), 1e-12);
    }

    @Test
    void tableShowsErrorDifferenceToNoAgentAndBytes() throws Exception {
        String table = ResultsTable.markdown(sample());
        assertTrue(table.contains("| StoreBenchmark.storeSingle | no |  | none | avgt | 1.00 |  |"), table);
        assertTrue(table.contains("| StoreBenchmark.storeSingle | yes | drop | 1e3 | avgt | 5.25 ± 0.50 | +4.25 | 0.000 |"),
                table);
    }

    @Test
    void cpuColumnsAppearWhenTheCpuProfilerRan() {
        String table = ResultsTable.markdown(List.of(
                new ResultsTable.Row("StoreBenchmark.storeSingle", "avgt", "", false, "none", 3.0, 1.0, "ns/op", 0.0001,
                        0.75, 0.25, 0.00001),
                new ResultsTable.Row("StoreBenchmark.storeSingle", "avgt", "throttle", true, "none", 120.0, 50.0, "ns/op",
                        0.02, 37.0, 0.3, 0.00002)));
        assertTrue(table.contains("| CPU ns/record | CPU vs. no agent (ns) | on-CPU |"), table);
        assertTrue(table.contains("| StoreBenchmark.storeSingle | yes | throttle | none | avgt | 120.00 ± 50.00 | +117.00 "
                + "| 37.00 | +36.25 | 0.30 | 0.020 | 0.000 |"), table);
    }

    @Test
    void agentArgumentsAreFoundOnlyForTheSluiceAgent() {
        assertNull(BenchConfig.agentArgs(List.of("-Xmx1g", "-javaagent:/x/other-agent.jar=a=b")));
        assertEquals("", BenchConfig.agentArgs(List.of("-javaagent:/x/sluice-agent-0.1.0-SNAPSHOT.jar")));
        assertEquals("sluice.strategy=sample,config=/c.properties",
                BenchConfig.agentArgs(List.of("-javaagent:/x/sluice-agent.jar=sluice.strategy=sample,config=/c.properties")));
        assertEquals("sample", new BenchConfig("config=/c.properties,sluice.strategy=sample", null).strategy());
    }

    @Test
    void rowsAreGroupedPerBenchmarkNoAgentFirstThenLooseToTightBounds() {
        List<ResultsTable.Row> rows = new java.util.ArrayList<>(List.of(
                row("StoreBenchmark.storeIterator", false, "", "none"),
                row("StoreBenchmark.storeSingle", true, "drop", "1000"),
                row("StoreBenchmark.storeSingle", true, "throttle", "1000000"),
                row("StoreBenchmark.storeSingle", true, "throttle", "none"),
                row("StoreBenchmark.storeSingle", true, "throttle", "1000000000"),
                row("StoreBenchmark.storeSingle", false, "", "none")));
        rows.sort(ResultsTable.READING_ORDER);
        assertEquals(List.of("storeSingle//none", "storeSingle/throttle/none", "storeSingle/throttle/1000000000",
                "storeSingle/throttle/1000000", "storeSingle/drop/1000", "storeIterator//none"),
                rows.stream().map(r -> r.benchmark().substring(15) + "/" + r.strategy() + "/" + r.bound()).toList());
    }

    private static ResultsTable.Row row(String benchmark, boolean agent, String strategy, String bound) {
        return new ResultsTable.Row(benchmark, "avgt", strategy, agent, bound, 1, 0, "ns/op", 0.0);
    }

    @Test
    void boundsAreShortened() {
        assertEquals("1e9", ResultsTable.boundText("1000000000"));
        assertEquals("1e6", ResultsTable.boundText("1000000"));
        assertEquals("250", ResultsTable.boundText("250"));
        assertEquals("none", ResultsTable.boundText("none"));
    }
}
