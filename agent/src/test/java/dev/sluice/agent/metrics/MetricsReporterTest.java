package dev.sluice.agent.metrics;

import dev.sluice.agent.JvmRole;
import dev.sluice.runtime.MemoryReadings;
import dev.sluice.runtime.RuntimeSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsReporterTest {

    @TempDir
    Path dir;

    @Test
    void csvFileIsNamedByRoleAndPidAndStartsWithTheHeader() throws Exception {
        RuntimeSettings s = new RuntimeSettings(Collections.singletonMap("sluice.metrics.file", dir.toString()));
        MetricsReporter r = new MetricsReporter(s, JvmRole.EXECUTOR);
        File f = r.csvFile();
        assertEquals("sluice-executor-" + MetricsReporter.pid() + ".csv", f.getName());
        CsvSink sink = new CsvSink(f, MetricsReporter.HEADER);
        sink.write(Arrays.asList("a", "b"));
        sink.write(Collections.singletonList("c"));
        sink.close();
        List<String> lines = Files.readAllLines(f.toPath());
        assertEquals(Arrays.asList(MetricsReporter.HEADER, "a", "b", "c"), lines);
        CsvSink again = new CsvSink(f, MetricsReporter.HEADER);
        again.write(Collections.singletonList("d"));
        again.close();
        assertEquals(5, Files.readAllLines(f.toPath()).size(), "header written once per file");
    }

    @Test
    void headerHasTheAgreedColumns() {
        assertEquals("epochMs,role,streamId,strategy,bound,offered,admitted,dropped,throttledNanos,guardLevel,"
                + "guardFactor,heapUsed,heapMax,heapAfterGc,storageFree,adviceErrors,stored", MetricsReporter.HEADER);
    }

    @Test
    void linesHaveAsManyColumnsAsTheHeader() {
        MetricsReporter r = new MetricsReporter(RuntimeSettings.empty(), JvmRole.EXECUTOR);
        dev.sluice.runtime.ManagedStream stream = dev.sluice.runtime.StreamGates.of(42);
        stream.gate().admitOne("x");
        List<String> lines = r.csvLines(1L, Collections.singletonList(stream), Collections.emptyList(),
                new MemoryReadings(1, 2, 3, 4, 5));
        assertEquals(1, lines.size());
        String[] cells = lines.get(0).split(",", -1);
        assertEquals(MetricsReporter.HEADER.split(",").length, cells.length, lines.get(0));
        assertEquals("executor", cells[1]);
        assertEquals("42", cells[2]);
        assertEquals("-1", cells[4], "no bound yet");
        assertEquals("1", cells[5], "offered");
        assertEquals("1", cells[6], "admitted");
        assertEquals("0", cells[7], "dropped");
        assertEquals("1", cells[16], "stored");
        assertTrue(r.summaryLines(Collections.singletonList(stream), Collections.emptyList(), false).get(0)
                .startsWith("Sluice stream 42 ["), "summary line format");
    }

    @Test
    void metersAppearOverJmxInTheSluiceDomain() throws Exception {
        MetricsReporter r = new MetricsReporter(RuntimeSettings.empty(), JvmRole.EXECUTOR);
        dev.sluice.runtime.StreamGates.of(43).gate().admitOne("x");
        r.hostReady();
        r.tick(System.currentTimeMillis(), false);
        java.util.Set<javax.management.ObjectName> names = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                .queryNames(new javax.management.ObjectName("sluice:*"), null);
        assertTrue(names.stream().anyMatch(n -> n.toString().contains("sluiceRecordsOffered.stream.43")),
                names.toString());
        assertTrue(names.stream().anyMatch(n -> n.toString().contains("sluiceBound.stream.43")), names.toString());
    }

    /**
     * Meters follow the receiver's lifecycle: a stopped receiver's stream leaves the registry (no ghost), its final
     * counts get one last CSV line, and the next receiver with the same id gets meters over its own counters.
     */
    @Test
    void metersFollowTheReceiversIncarnations() throws Exception {
        MetricsReporter r = new MetricsReporter(
                new RuntimeSettings(Collections.singletonMap("sluice.metrics.file", dir.toString())), JvmRole.EXECUTOR);
        r.hostReady();
        Object first = new Object();
        dev.sluice.runtime.ReceiverLifecycle.starting(first, 44);
        dev.sluice.runtime.StreamGates.of(first, 44).gate().admitOne("x");
        r.tick(1_000L, false);
        io.micrometer.core.instrument.MeterRegistry registry = r.meters().registry();
        assertEquals(1.0, registry.get("sluice.records.offered").tag("stream", "44").functionCounter().count());

        dev.sluice.runtime.ReceiverLifecycle.stopping(first);
        r.tick(2_000L, false);
        assertTrue(registry.find("sluice.records.offered").tag("stream", "44").meters().isEmpty(),
                "the stopped receiver's meters are still registered");
        assertEquals(1, stream44Lines(r, "2000,"), "one final line at the tick after the stop");
        r.tick(3_000L, false);
        assertEquals(0, stream44Lines(r, "3000,"), "no lines for a retired stream");

        Object next = new Object();
        dev.sluice.runtime.ReceiverLifecycle.starting(next, 44);
        r.tick(4_000L, false);
        assertEquals(0.0, registry.get("sluice.records.offered").tag("stream", "44").functionCounter().count(),
                "the next receiver's meters count its own records");
        dev.sluice.runtime.ReceiverLifecycle.stopping(next);
    }

    private static long stream44Lines(MetricsReporter r, String epoch) throws java.io.IOException {
        return Files.readAllLines(r.csvFile().toPath()).stream().filter(l -> l.startsWith(epoch + "executor,44,"))
                .count();
    }
}
