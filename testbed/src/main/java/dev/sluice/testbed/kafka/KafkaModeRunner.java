package dev.sluice.testbed.kafka;

import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.DriverProcess;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.Modes;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.report.Csv;
import dev.sluice.testbed.run.Mode;
import dev.sluice.testbed.run.ModeRunner;
import dev.sluice.testbed.run.RunSettings;
import dev.sluice.testbed.scenario.ResolvedScenario;
import dev.sluice.testbed.source.LoadGenerator;
import dev.sluice.testkit.kafka.Ledger;
import dev.sluice.testkit.kafka.TopicFeed;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Runs one scenario in one mode on the {@code kafka} source: a real broker and topic ({@link KafkaRig}), the scenario's
 * backlog put on the topic before the job starts, the {@link KafkaTestbedJob} launched on local-cluster with the
 * connector beside its jar, the scenario's rate offered by the producer from just before the first batch (the record
 * key carries the phase's cost), then the stop. Afterwards it checks exactly-once against the producer's ledger
 * ({@link ExactlyOnce}) and writes the consumer lag over time ({@link ConsumerLag}, {@code lag.csv}). The run
 * directory holds the same files as a receiver run ({@code batches.csv}, {@code work.csv}, {@code source.csv},
 * {@code run.properties}, ...), so the report is the same generator's.
 */
public final class KafkaModeRunner {

    /** The modes that make sense for a direct stream: records wait in Kafka, nothing is shed. */
    public static final List<Mode> MODES = List.of(Mode.STOCK, Mode.SPARK, Mode.SLUICE_THROTTLE);

    private static final long START_TIMEOUT_MS = 240_000;
    private static final long SAMPLE_MS = 100;

    private final RunSettings settings;
    private final PrintStream console;
    private final List<Path> connector;

    public KafkaModeRunner(RunSettings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
        this.connector = KafkaRig.connectorJars(settings.home().version());
    }

    /** Refuses the modes a direct stream does not run in the test bed, naming the ones it does. */
    public static void checkModes(List<Mode> modes) {
        for (Mode m : modes) {
            if (!MODES.contains(m)) {
                throw new IllegalArgumentException("mode '" + m.id + "' is not run on the kafka source; it runs "
                        + String.join(", ", MODES.stream().map(x -> x.id).toList()) + " (a direct stream's records "
                        + "wait in Kafka: throttle is the strategy that applies)");
            }
        }
    }

    /** Spark's back-pressure as a user tunes it from the measured capacity: initial rate and per-partition cap. */
    static Map<String, String> sparkBackPressureTuning(double capacity, int partitions) {
        Map<String, String> conf = new HashMap<>();
        conf.put("spark.streaming.backpressure.initialRate", Long.toString(Math.max(1, Math.round(capacity))));
        conf.put("spark.streaming.kafka.maxRatePerPartition",
                Long.toString(Math.max(1, (long) Math.ceil(capacity / partitions))));
        return conf;
    }

    /** @param label e.g. "[2/9]" for the progress lines */
    public Path run(ResolvedScenario scenario, Mode mode, Path runDir, String label) {
        return run(scenario, mode, runDir, label, Map.of());
    }

    /** @param extraConf Spark configuration added to the mode's (the capacity probe's batch cap) */
    Path run(ResolvedScenario scenario, Mode mode, Path runDir, String label, Map<String, String> extraConf) {
        Properties props = ModeRunner.prepare(runDir, scenario, mode, settings);
        props.setProperty("source", "kafka");
        props.setProperty("connector", KafkaRig.nearestServedConnector(settings.home().version()));
        props.setProperty("partitions", Integer.toString(KafkaRig.PARTITIONS));
        props.setProperty("backlog", Long.toString(scenario.backlogRecords()));
        String topic = ("testbed-" + scenario.scenario().name() + "-" + mode.id).replaceAll("[^A-Za-z0-9._-]", "-");
        Path brokerDir = runDir.getParent().getParent().resolve("kafka-brokers").resolve(topic);
        try (KafkaRig rig = KafkaRig.start(brokerDir, topic, KafkaRig.PARTITIONS)) {
            TopicFeed feed = rig.feed();
            feed.key((long) scenario.costAt(0));
            feed.backlog(scenario.backlogRecords());
            console.printf(Locale.ROOT, "%s %s %s: broker %s, topic %s (%d partitions), backlog %d records%n", label,
                    scenario.scenario().name(), mode.id, rig.bootstrapServers(), topic, KafkaRig.PARTITIONS,
                    scenario.backlogRecords());
            long wallStart = System.currentTimeMillis();
            try (DriverProcess driver = ClusterJobLauncher.start(spec(mode, runDir, rig, scenario, extraConf))) {
                long firstBatchMs = awaitFirstBatch(driver, runDir, wallStart);
                if (firstBatchMs < 0) {
                    props.setProperty("failure", driver.isAlive() ? "the streaming context planned no batch within "
                            + START_TIMEOUT_MS / 1000 + " s" : "driver exited before streaming started");
                } else {
                    drive(scenario, mode, runDir, rig, driver, props, label, firstBatchMs);
                }
                props.setProperty("stopEpochMs", Long.toString(System.currentTimeMillis()));
                Files.writeString(runDir.resolve("stop"), "stop\n", StandardCharsets.UTF_8);
                RunResult result = driver.await();
                feed.offer(0);
                feed.stop();
                rig.checkAlive();
                console.printf(Locale.ROOT, "%s %s %s done: %s, %.0f s%n", label, scenario.scenario().name(),
                        mode.id, result.succeeded() ? "ok" : "exit " + result.exitCode(),
                        (System.currentTimeMillis() - wallStart) / 1000.0);
                ModeRunner.recordResult(props, result, wallStart);
            }
            account(runDir, rig, props);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            props.setProperty("failure", "interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ModeRunner.store(runDir, props, "Sluice test bed run (kafka source)");
        }
        return runDir;
    }

    /**
     * Waits until Spark has planned its first batch (planned.csv) and returns that batch's time; -1 when none came.
     * With a backlog the first batch is the one that matters most, so the scenario clock starts just before it.
     */
    private long awaitFirstBatch(DriverProcess driver, Path runDir, long wallStart) throws InterruptedException {
        while (driver.isAlive() && System.currentTimeMillis() - wallStart < START_TIMEOUT_MS + settings.warmupMs()) {
            Csv planned = Csv.read(runDir.resolve("planned.csv"));
            if (planned.size() > 0) {
                return planned.lng(0, "batchTimeMs");
            }
            Thread.sleep(50);
        }
        return -1;
    }

    /** Offers the scenario's rate and cost, samples what was produced, writes source.csv and the progress lines. */
    private void drive(ResolvedScenario scenario, Mode mode, Path runDir, KafkaRig rig, DriverProcess driver,
                       Properties props, String label, long firstBatchMs) throws IOException, InterruptedException {
        TopicFeed feed = rig.feed();
        Ledger ledger = feed.ledger();
        // The scenario starts 1 ms before the first batch's time (the runner sees that batch up to ~100 ms after it
        // was planned; the offered load follows the scenario clock from then), so every batch has t > 0.
        long start = Math.min(System.currentTimeMillis(), firstBatchMs - 1);
        props.setProperty("startEpochMs", Long.toString(start));
        long endAt = start + scenario.durationMs() + settings.drainMs();
        List<ConsumerLag.Produced> produced = new ArrayList<>();
        try (Writer source = Files.newBufferedWriter(runDir.resolve("source.csv"), StandardCharsets.UTF_8)) {
            source.write(LoadGenerator.CSV_HEADER + "\n");
            long backlog = scenario.backlogRecords();
            // The backlog counts as sent at the start, so "backlog at stop" = sent - processed holds for Kafka too.
            source.write(start + ",0,0," + backlog + "," + backlog + ",0,1\n");
            long sentBefore = feed.sent();
            double dueBefore = 0;
            long nextSecond = start + 1000;
            long nextPrint = start;
            while (System.currentTimeMillis() < endAt && driver.isAlive()) {
                long now = System.currentTimeMillis();
                long off = now - start;
                feed.key((long) scenario.costAt(Math.min(off, scenario.durationMs() - 1)));
                feed.offer(scenario.rateAt(off));
                produced.add(new ConsumerLag.Produced(now, ledger.total()));
                if (now >= nextSecond) {
                    double due = scenario.recordsDue(Math.min(off, scenario.durationMs()));
                    long sent = feed.sent();
                    source.write(String.format(Locale.ROOT, "%d,%d,0,%d,%d,0,1%n", nextSecond,
                            nextSecond - start, Math.round(due - dueBefore), sent - sentBefore));
                    source.flush();
                    dueBefore = due;
                    sentBefore = sent;
                    nextSecond += 1000;
                }
                if (now >= nextPrint) {
                    progress(label, scenario, mode, runDir, off, ledger.total());
                    nextPrint = now + 10_000;
                }
                Thread.sleep(SAMPLE_MS);
            }
        }
        feed.offer(0);
        if (!driver.isAlive()) {
            props.setProperty("failure", "driver exited during the run");
        }
        writeProduced(runDir, produced);
    }

    private void progress(String label, ResolvedScenario scenario, Mode mode, Path runDir, long off, long produced) {
        Csv b = Csv.read(runDir.resolve("batches.csv"));
        String batch = "no batch yet";
        if (b.size() > 0) {
            int i = b.size() - 1;
            batch = String.format(Locale.ROOT, "last batch %d records, sched %.1f s", b.lng(i, "records"),
                    b.num(i, "schedulingDelayMs") / 1000.0);
        }
        console.printf(Locale.ROOT, "%s %s %-15s t=%4d/%d s offered %6.0f/s produced %d; %s%n", label,
                scenario.scenario().name(), mode.id, off / 1000, scenario.durationMs() / 1000,
                scenario.rateAt(off), produced, batch);
    }

    private static void writeProduced(Path runDir, List<ConsumerLag.Produced> produced) throws IOException {
        StringBuilder sb = new StringBuilder("epochMs,produced\n");
        for (ConsumerLag.Produced p : produced) {
            sb.append(p.epochMs()).append(',').append(p.records()).append('\n');
        }
        Files.writeString(runDir.resolve("produced.csv"), sb.toString(), StandardCharsets.UTF_8);
    }

    /** Exactly-once against the ledger and the consumer lag series, after the job has ended. */
    private static void account(Path runDir, KafkaRig rig, Properties props) throws IOException {
        Ledger ledger = rig.feed().ledger();
        List<ProcessedRange> ranges = ProcessedRange.read(runDir.resolve("ranges.csv"));
        ExactlyOnce.Verdict v = ExactlyOnce.check(ranges, KafkaRig.PARTITIONS, ledger::checksum, ledger.total(),
                rig.committedOffsets());
        props.setProperty("exactlyOnce.ok", Boolean.toString(v.ok()));
        props.setProperty("exactlyOnce", v.summary());
        props.setProperty("exactlyOnce.records", Long.toString(v.records()));
        props.setProperty("produced", Long.toString(ledger.total()));
        List<ConsumerLag.Point> lag = ConsumerLag.series(readProduced(runDir), readPlanned(runDir),
                readProcessed(runDir, ranges));
        StringBuilder sb = new StringBuilder(ConsumerLag.HEADER).append('\n');
        lag.forEach(p -> sb.append(p.toCsv()).append('\n'));
        Files.writeString(runDir.resolve("lag.csv"), sb.toString(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerLag.Produced> readProduced(Path runDir) {
        Csv c = Csv.read(runDir.resolve("produced.csv"));
        List<ConsumerLag.Produced> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            out.add(new ConsumerLag.Produced(c.lng(i, "epochMs"), c.lng(i, "produced")));
        }
        return out;
    }

    private static List<ConsumerLag.Planned> readPlanned(Path runDir) {
        Csv c = Csv.read(runDir.resolve("planned.csv"));
        List<ConsumerLag.Planned> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            out.add(new ConsumerLag.Planned(c.lng(i, "submissionMs"), c.lng(i, "records")));
        }
        return out;
    }

    /** Completed batches' end times (Spark's listener) with the records the job counted in their ranges. */
    private static List<ConsumerLag.Processed> readProcessed(Path runDir, List<ProcessedRange> ranges) {
        Map<Long, Long> recordsByBatch = new HashMap<>();
        for (ProcessedRange r : ranges) {
            recordsByBatch.merge(r.batchTimeMs(), r.records(), Long::sum);
        }
        Csv c = Csv.read(runDir.resolve("batches.csv"));
        List<ConsumerLag.Processed> out = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            long records = recordsByBatch.getOrDefault(c.lng(i, "batchTimeMs"), 0L);
            if (c.lng(i, "processingEndMs") > 0 && records > 0) {
                out.add(new ConsumerLag.Processed(c.lng(i, "processingEndMs"), records));
            }
        }
        return out;
    }

    LaunchSpec spec(Mode mode, Path runDir, KafkaRig rig, ResolvedScenario scenario, Map<String, String> extraConf)
            throws IOException {
        long maxMs = START_TIMEOUT_MS + settings.warmupMs() + scenario.durationMs() + settings.drainMs() + 120_000;
        LaunchSpec.Builder b0 = ModeRunner.baseSpec(settings, runDir, KafkaTestbedJob.class.getName(), maxMs,
                "--bootstrap", rig.bootstrapServers(), "--topic", rig.topic())
                .extraClassPath(connector);
        extraConf.forEach(b0::conf);
        LaunchSpec base = b0.build();
        return switch (mode) {
            case STOCK -> Modes.stock(base, runDir);
            case SPARK -> {
                LaunchSpec.Builder b = Modes.sparkBackpressure(base, runDir, 0).toBuilder();
                sparkBackPressureTuning(scenario.capacity(), KafkaRig.PARTITIONS).forEach(b::conf);
                yield b.build();
            }
            case SLUICE_THROTTLE -> ModeRunner.withAgent(settings, mode, runDir, base);
            default -> throw new IllegalArgumentException("mode '" + mode.id + "' is not run on the kafka source");
        };
    }
}
