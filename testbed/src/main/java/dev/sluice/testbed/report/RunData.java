package dev.sluice.testbed.report;

import dev.sluice.testbed.scenario.ResolvedScenario;
import dev.sluice.testbed.scenario.Scenario;
import dev.sluice.testbed.scenario.ScenarioParser;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything one mode's run left in its directory, as time series relative to the scenario start (seconds).
 * Files: {@code run.properties}, {@code scenario.scn} (the scaled scenario, rates resolved), {@code source.csv},
 * {@code batches.csv}, {@code work.csv}, {@code events.csv}, {@code memory-<executor>.csv},
 * {@code sluice-executor-<pid>.csv} / {@code sluice-driver-<pid>.csv} (agent modes only).
 */
public final class RunData {

    /**
     * One batch: completed (all fields) or pending at stop (never completed; delays are lower bounds). lagS = batch
     * time − send time of its oldest record; oldestSendT / newestSendT: send times of its oldest and newest record
     * (NaN when it held none, or pending).
     */
    public record Batch(double t, long records, long records0, long records1, double schedulingDelayS,
                        double processingDelayS, double endT, double lagS, boolean pending, double oldestSendT,
                        double newestSendT) {

        /** When its processing started (NaN when pending). */
        public double startT() {
            return endT - processingDelayS;
        }
    }

    public record MemorySample(double t, String executorId, double heapUsedMb, double heapMaxMb, double heapAfterGcMb,
                               double storageUsedMb, double storageMaxMb) {
    }

    /** Per second, summed over the generator's feeds. */
    public record SourceSecond(double t, long intended, long sent, long dropped) {
    }

    /** Per agent CSV line: one stream in one JVM. Counters cumulative. */
    public record SluiceSample(double t, String file, String role, int streamId, String strategy, double bound,
                               long offered, long admitted, long dropped) {
    }

    /** Kafka source: consumer lag at a moment (lag.csv, written by the runner from the ledger and the job's ranges). */
    public record LagSample(double t, long produced, long notPlanned, long notProcessed) {
    }

    public final String mode;
    /** Which repeat of its mode this run was (1 unless {@code --repeat N}). */
    public final int repeat;
    public final Path dir;
    public final Properties props;
    public final ResolvedScenario scenario;
    public final long startEpochMs;
    public final double batchS;
    public final double stopT;
    public final List<Batch> batches = new ArrayList<>();
    public final List<MemorySample> memory = new ArrayList<>();
    public final List<SourceSecond> source = new ArrayList<>();
    public final List<SluiceSample> sluice = new ArrayList<>();
    /** Kafka source only (empty otherwise). */
    public final List<LagSample> lag = new ArrayList<>();
    /** Records of each generated batch at its submission, in batch-time order (planned.csv; empty when absent). */
    public final List<Long> plannedRecords = new ArrayList<>();
    /** Events before the stop request: {@code <event> <streamId|executorId> <detail>}. */
    public final List<String> events = new ArrayList<>();

    private RunData(String mode, Path dir) {
        this.dir = dir;
        this.props = properties(dir.resolve("run.properties"));
        this.mode = props.getProperty("mode", mode);
        this.repeat = Integer.parseInt(props.getProperty("repeat", "1"));
        this.startEpochMs = Long.parseLong(props.getProperty("startEpochMs", "-1"));
        this.batchS = Double.parseDouble(props.getProperty("batchMs", "1000")) / 1000.0;
        double capacity = Double.parseDouble(props.getProperty("capacity", "0"));
        try {
            Scenario s = ScenarioParser.parse(props.getProperty("scenario", "scenario"), "scenario.scn",
                    Files.readString(dir.resolve("scenario.scn"), StandardCharsets.UTF_8));
            this.scenario = s.resolve(capacity);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("scenario.scn"), e);
        }
        long stopEpoch = Long.parseLong(props.getProperty("stopEpochMs", "-1"));
        this.stopT = stopEpoch > 0 ? t(stopEpoch) : scenario.durationMs() / 1000.0;
    }

    public static RunData load(String mode, Path dir) {
        RunData d = new RunData(mode, dir);
        d.readBatches();
        d.readMemory();
        d.readSource();
        d.readSluice();
        d.readEvents();
        d.readLag();
        return d;
    }

    /** The mode, with {@code #k} when the command ran each mode several times ({@code --repeat N}). */
    public String label() {
        return Integer.parseInt(props.getProperty("repeats", "1")) > 1 ? mode + " #" + repeat : mode;
    }

    public double t(long epochMs) {
        return (epochMs - startEpochMs) / 1000.0;
    }

    public double loadEndT() {
        return scenario.durationMs() / 1000.0;
    }

    public double capacity() {
        return scenario.capacity();
    }

    /**
     * The probe's bracket around the capacity (records/s at the probe's cost, measured by what the steps processed):
     * {@code [0]} the highest step that kept up, {@code [1]} the first that did not; NaN when the run did not record
     * one (--capacity, or a run recorded before the bracket was).
     */
    public double[] capacityBracket() {
        return new double[] {Double.parseDouble(props.getProperty("capacity.keptUp", "NaN")),
                Double.parseDouble(props.getProperty("capacity.firstFailed", "NaN"))};
    }

    public int exitCode() {
        return Integer.parseInt(props.getProperty("exitCode", "-1"));
    }

    public boolean timedOut() {
        return Boolean.parseBoolean(props.getProperty("timedOut", "false"));
    }

    public String failure() {
        return props.getProperty("failure", "");
    }

    private void readBatches() {
        Csv b = Csv.read(dir.resolve("batches.csv"));
        Csv w = Csv.read(dir.resolve("work.csv"));
        Map<Long, long[]> sent = new HashMap<>();
        for (int i = 0; i < w.size(); i++) {
            long min = w.lng(i, "minSendMs");
            if (min > 0) {
                sent.put(w.lng(i, "batchTimeMs"), new long[] {min, w.lng(i, "maxSendMs")});
            }
        }
        TreeMap<Long, Batch> byTime = new TreeMap<>();
        for (int i = 0; i < b.size(); i++) {
            long bt = b.lng(i, "batchTimeMs");
            long end = b.lng(i, "processingEndMs");
            long[] s = sent.get(bt);
            byTime.put(bt, new Batch(t(bt), b.lng(i, "records"), b.lng(i, "records0"), b.lng(i, "records1"),
                    b.num(i, "schedulingDelayMs") / 1000.0, b.num(i, "processingDelayMs") / 1000.0,
                    end > 0 ? t(end) : Double.NaN, s == null ? 0.0 : (bt - s[0]) / 1000.0, false,
                    s == null ? Double.NaN : t(s[0]), s == null || s[1] <= 0 ? Double.NaN : t(s[1])));
        }
        // Batches generated before the stop that never completed: their delay is at least (stop - batch time).
        if (!byTime.isEmpty()) {
            long step = Math.round(batchS * 1000);
            long first = byTime.firstKey();
            long stopEpoch = Math.round(startEpochMs + stopT * 1000);
            for (long bt = first; bt <= stopEpoch; bt += step) {
                if (!byTime.containsKey(bt)) {
                    double waited = (stopEpoch - bt) / 1000.0;
                    byTime.put(bt, new Batch(t(bt), 0, 0, 0, waited, 0, Double.NaN, waited, true, Double.NaN,
                            Double.NaN));
                }
            }
        }
        batches.addAll(byTime.values());
    }

    private void readMemory() {
        for (Path f : list("memory-", ".csv")) {
            Csv c = Csv.read(f);
            for (int i = 0; i < c.size(); i++) {
                memory.add(new MemorySample(t(c.lng(i, "epochMs")), c.text(i, "executorId"), mb(c.num(i, "heapUsed")),
                        mb(c.num(i, "heapMax")), mb(c.num(i, "heapAfterGc")), mb(c.num(i, "storageUsed")),
                        mb(c.num(i, "storageMax"))));
            }
        }
        memory.sort((a, b) -> Double.compare(a.t(), b.t()));
    }

    private void readSource() {
        Csv c = Csv.read(dir.resolve("source.csv"));
        TreeMap<Long, long[]> perSecond = new TreeMap<>();
        for (int i = 0; i < c.size(); i++) {
            long off = c.lng(i, "offsetMs");
            if (off < 0) {
                continue;
            }
            long[] acc = perSecond.computeIfAbsent(c.lng(i, "epochMs"), k -> new long[3]);
            acc[0] += c.lng(i, "intended");
            acc[1] += c.lng(i, "sent");
            acc[2] += c.lng(i, "dropped");
        }
        perSecond.forEach((epoch, a) -> source.add(new SourceSecond(t(epoch), a[0], a[1], a[2])));
    }

    private void readSluice() {
        for (Path f : list("sluice-", ".csv")) {
            if (f.getFileName().toString().endsWith("-batches.csv")) {
                continue;
            }
            Csv c = Csv.read(f);
            if (!c.has("streamId")) {
                continue;
            }
            for (int i = 0; i < c.size(); i++) {
                sluice.add(new SluiceSample(t(c.lng(i, "epochMs")), f.getFileName().toString(), c.text(i, "role"),
                        (int) c.lng(i, "streamId"), c.text(i, "strategy"), c.num(i, "bound"), c.lng(i, "offered"),
                        c.lng(i, "admitted"), c.lng(i, "dropped")));
            }
        }
        sluice.sort((a, b) -> Double.compare(a.t(), b.t()));
    }

    private void readEvents() {
        Csv c = Csv.read(dir.resolve("events.csv"));
        for (int i = 0; i < c.size(); i++) {
            // Only what happened before the stop request: executors exiting at shutdown are not failures.
            if (t(c.lng(i, "epochMs")) < stopT) {
                events.add(c.text(i, "event") + " " + c.text(i, "streamId") + " " + c.text(i, "detail"));
            }
        }
    }

    private void readLag() {
        Csv c = Csv.read(dir.resolve("lag.csv"));
        for (int i = 0; i < c.size(); i++) {
            lag.add(new LagSample(t(c.lng(i, "epochMs")), c.lng(i, "produced"), c.lng(i, "notPlanned"),
                    c.lng(i, "notProcessed")));
        }
        Csv p = Csv.read(dir.resolve("planned.csv"));
        TreeMap<Long, Long> byTime = new TreeMap<>();
        for (int i = 0; i < p.size(); i++) {
            byTime.put(p.lng(i, "batchTimeMs"), p.lng(i, "records"));
        }
        plannedRecords.addAll(byTime.values());
    }

    /** Whether this run read a Kafka topic (the kafka source) rather than receivers. */
    public boolean kafkaSource() {
        return "kafka".equals(props.getProperty("source"));
    }

    private List<Path> list(String prefix, String suffix) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static double mb(double bytes) {
        return bytes < 0 || Double.isNaN(bytes) ? Double.NaN : bytes / (1024.0 * 1024.0);
    }

    static Properties properties(Path file) {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }
}
