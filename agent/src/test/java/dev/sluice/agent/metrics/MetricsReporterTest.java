package dev.sluice.agent.metrics;

import dev.sluice.agent.JvmRole;
import dev.sluice.receiver.guard.MemoryReadings;
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
                + "guardFactor,heapUsed,heapMax,heapAfterGc,storageFree,adviceErrors,stored,lastBatchAdmitted,lag",
                MetricsReporter.HEADER);
    }

    /** A Kafka direct stream's plans: one {@code direct} line beside its {@code driver} line, and a summary line. */
    @Test
    void aDirectStreamsPlansHaveTheirOwnCsvLineAndSummaryLine() {
        MetricsReporter r = new MetricsReporter(RuntimeSettings.empty(), JvmRole.DRIVER);
        dev.sluice.receiver.driver.DriverStream receiverSide = new dev.sluice.receiver.driver.DriverStream(5);
        dev.sluice.receiver.driver.DriverStream direct = new dev.sluice.receiver.driver.DriverStream(6);
        direct.planned().batchPlanned(700, new long[] {40_000, 35_000}, new long[] {373, 327});
        direct.planned().batchPlanned(0, new long[] {39_700, 34_800}, new long[] {1, 1});
        List<String> lines = r.csvLines(9L, Collections.emptyList(), Arrays.asList(receiverSide, direct),
                new MemoryReadings(1, 2, 3, 4, 5));
        assertEquals(3, lines.size(), lines.toString());
        int columns = MetricsReporter.HEADER.split(",").length;
        for (String l : lines) {
            assertEquals(columns, l.split(",", -1).length, l);
        }
        String[] driver = lines.get(0).split(",", -1);
        assertEquals("driver", driver[1]);
        assertEquals("-1", driver[17], "lastBatchAdmitted only on direct lines");
        assertEquals("-1", driver[18], "lag only on direct lines");
        assertTrue(lines.get(1).startsWith("9,driver,6,"), lines.get(1));
        String[] d = lines.get(2).split(",", -1);
        assertEquals("direct", d[1]);
        assertEquals("6", d[2]);
        assertEquals("throttle", d[3], "a direct stream sheds nothing");
        assertEquals("0", d[4], "the floor was the latest plan's rate");
        assertEquals("-1", d[5], "no offered count on the driver");
        assertEquals("702", d[6], "admitted over both batches");
        assertEquals("0", d[7], "never dropped");
        assertEquals("2", d[17]);
        assertEquals(String.valueOf(39_700 + 34_800 - 2), d[18]);

        List<String> summary = r.summaryLines(Collections.emptyList(), Arrays.asList(receiverSide, direct), false);
        assertEquals(3, summary.size(), summary.toString());
        assertEquals("Sluice Kafka direct stream 6: bound=floor (batches queue) lastBatchAdmitted=2 admitted=702 "
                + "lag=74498", summary.get(2));
        direct.planned().batchPlanned(650, new long[] {39_699, 34_799}, new long[] {330, 320});
        assertEquals("Sluice final Kafka direct stream 6: bound=650/s lastBatchAdmitted=650 admitted=1352 lag=73848",
                r.summaryLines(Collections.emptyList(), Collections.singletonList(direct), true).get(1));
    }

    @Test
    void linesHaveAsManyColumnsAsTheHeader() {
        MetricsReporter r = new MetricsReporter(RuntimeSettings.empty(), JvmRole.EXECUTOR);
        dev.sluice.receiver.executor.ManagedStream stream = dev.sluice.receiver.executor.StreamGates.of(42);
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
        dev.sluice.receiver.executor.StreamGates.of(43).gate().admitOne("x");
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

    private static RuntimeSettings strategySettings(String strategy) {
        java.util.Map<String, String> m = new java.util.HashMap<String, String>();
        m.put("sluice.strategy", strategy);
        m.put("sluice.guard.enabled", "false");
        return new RuntimeSettings(m);
    }

    /** A stream created under {@code settings}; the runtime's settings are empty again afterwards. */
    private static dev.sluice.receiver.executor.ManagedStream streamUnder(RuntimeSettings settings, int streamId) {
        dev.sluice.runtime.SluiceRuntime.install(settings, null, null);
        try {
            return dev.sluice.receiver.executor.StreamGates.of(streamId);
        } finally {
            dev.sluice.runtime.SluiceRuntime.install(RuntimeSettings.empty(), null, null);
        }
    }

    /** A user's strategy that fails on its first call. */
    public static final class FailsAtOnce implements dev.sluice.strategy.CongestionStrategy {
        @Override
        public boolean admit(Object record, dev.sluice.strategy.Budget budget) {
            throw new IllegalStateException("fails at once");
        }

        @Override
        public void admitBulk(dev.sluice.strategy.Chunk chunk, dev.sluice.strategy.Budget budget) {
            throw new IllegalStateException("fails at once");
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }

    @Test
    void theSummaryLineCountsAContainedStrategyFailure() {
        RuntimeSettings settings = strategySettings(FailsAtOnce.class.getName());
        dev.sluice.receiver.executor.ManagedStream stream = streamUnder(settings, 49);
        MetricsReporter r = new MetricsReporter(settings, JvmRole.EXECUTOR);
        String before = r.summaryLines(Collections.singletonList(stream), Collections.emptyList(), false).get(0);
        assertTrue(!before.contains("strategyErrors"), before);
        assertTrue(stream.gate().admitOne("x"), "the record of the failed call is stored");
        String line = r.summaryLines(Collections.singletonList(stream), Collections.emptyList(), false).get(0);
        assertTrue(line.startsWith("Sluice stream 49 [throttle]") && line.contains(" strategyErrors=1 (now throttle)"),
                line);
    }

    @Test
    void theSummaryLineShowsTheShareDroppedOverTheLastInterval() {
        RuntimeSettings drop = strategySettings("drop");
        dev.sluice.receiver.executor.ManagedStream stream = streamUnder(drop, 48);
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
        dev.sluice.receiver.executor.ReceiverLifecycle.starting(first, 44);
        dev.sluice.receiver.executor.StreamGates.of(first, 44).gate().admitOne("x");
        r.tick(1_000L, false);
        assertEquals(1L, reading("stream.44.offered").read().longValue());

        dev.sluice.receiver.executor.ReceiverLifecycle.stopping(first);
        r.tick(2_000L, false);
        assertTrue(!SparkMeterNames.current(dev.sluice.receiver.executor.StreamGates.all(), Collections.emptyList())
                .containsKey("stream.44.offered"), "the stopped receiver's meters are still in the source");
        assertEquals(1, stream44Lines(r, "2000,"), "one final line at the tick after the stop");
        r.tick(3_000L, false);
        assertEquals(0, stream44Lines(r, "3000,"), "no lines for a retired stream");

        Object next = new Object();
        dev.sluice.receiver.executor.ReceiverLifecycle.starting(next, 44);
        r.tick(4_000L, false);
        assertEquals(0L, reading("stream.44.offered").read().longValue(),
                "the next receiver's meters count its own records");
        dev.sluice.receiver.executor.ReceiverLifecycle.stopping(next);
    }

    private static SparkMeterNames.Reading reading(String name) {
        SparkMeterNames.Reading reading = SparkMeterNames.current(dev.sluice.receiver.executor.StreamGates.all(),
                Collections.emptyList()).get(name);
        assertTrue(reading != null, name + " is not in Sluice's Spark metrics source");
        return reading;
    }

    private static long stream44Lines(MetricsReporter r, String epoch) throws java.io.IOException {
        return Files.readAllLines(r.csvFile().toPath()).stream().filter(l -> l.startsWith(epoch + "executor,44,"))
                .count();
    }
}
