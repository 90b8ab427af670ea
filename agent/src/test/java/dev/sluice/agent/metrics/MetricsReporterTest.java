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
        assertTrue(names.contains(new javax.management.ObjectName("sluice:name=stream.43.offered,type=gauges")),
                names.toString());
        assertTrue(names.contains(new javax.management.ObjectName("sluice:name=stream.43.bound,type=gauges")),
                names.toString());
        Object offered = java.lang.management.ManagementFactory.getPlatformMBeanServer().getAttribute(
                new javax.management.ObjectName("sluice:name=stream.43.offered,type=gauges"), "Value");
        assertEquals(1L, ((Number) offered).longValue());
    }

    @Test
    void theSummaryLineShowsTheShareDroppedOverTheLastInterval() {
        java.util.Map<String, String> m = new java.util.HashMap<String, String>();
        m.put("sluice.strategy", "drop");
        m.put("sluice.guard.enabled", "false");
        RuntimeSettings drop = new RuntimeSettings(m);
        dev.sluice.runtime.SluiceRuntime.install(drop, null, null);
        dev.sluice.runtime.ManagedStream stream;
        try {
            stream = dev.sluice.runtime.StreamGates.of(48);
        } finally {
            dev.sluice.runtime.SluiceRuntime.install(RuntimeSettings.empty(), null, null);
        }
        MetricsReporter r = new MetricsReporter(drop, JvmRole.EXECUTOR);
        long t0 = 1_000_000L;
        r.tick(t0, false); // opens the drop window
        stream.budget().setBound(1); // one token per second, a burst of a fraction of one: nearly all is dropped
        for (int i = 0; i < 100; i++) {
            stream.gate().admitOne("r" + i);
        }
        r.tick(t0 + 10_000, false); // closes it
        long dropped = stream.counters().dropped();
        assertTrue(dropped >= 90, "dropped " + dropped);
        String expected = String.format(java.util.Locale.ROOT, " (%.1f %% of offered over the last 10 s)",
                dropped * 100.0 / 100);
        String line = r.summaryLines(Collections.singletonList(stream), Collections.emptyList(), false).get(0);
        assertTrue(line.contains("dropped=" + dropped + expected), line);
        String last = r.summaryLines(Collections.singletonList(stream), Collections.emptyList(), true).get(0);
        assertTrue(last.startsWith("Sluice final stream 48") && last.contains("dropped=" + dropped + " ("), last);
    }

    /**
     * Meters follow the receiver's lifecycle: a stopped receiver's stream leaves the metrics source (no ghost), its final
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
        assertEquals(1L, reading("stream.44.offered").read().longValue());

        dev.sluice.runtime.ReceiverLifecycle.stopping(first);
        r.tick(2_000L, false);
        assertTrue(!SparkMeterNames.current(dev.sluice.runtime.StreamGates.all(), Collections.emptyList())
                .containsKey("stream.44.offered"), "the stopped receiver's meters are still in the source");
        assertEquals(1, stream44Lines(r, "2000,"), "one final line at the tick after the stop");
        r.tick(3_000L, false);
        assertEquals(0, stream44Lines(r, "3000,"), "no lines for a retired stream");

        Object next = new Object();
        dev.sluice.runtime.ReceiverLifecycle.starting(next, 44);
        r.tick(4_000L, false);
        assertEquals(0L, reading("stream.44.offered").read().longValue(),
                "the next receiver's meters count its own records");
        dev.sluice.runtime.ReceiverLifecycle.stopping(next);
    }

    private static SparkMeterNames.Reading reading(String name) {
        SparkMeterNames.Reading reading = SparkMeterNames.current(dev.sluice.runtime.StreamGates.all(),
                Collections.emptyList()).get(name);
        assertTrue(reading != null, name + " is not in Sluice's Spark metrics source");
        return reading;
    }

    private static long stream44Lines(MetricsReporter r, String epoch) throws java.io.IOException {
        return Files.readAllLines(r.csvFile().toPath()).stream().filter(l -> l.startsWith(epoch + "executor,44,"))
                .count();
    }
}
