package dev.sluice.testbed.run;

import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.DriverProcess;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.Modes;
import dev.sluice.testbed.cluster.RunResult;
import dev.sluice.testbed.job.TestbedJob;
import dev.sluice.testbed.report.Csv;
import dev.sluice.testbed.scenario.Phase;
import dev.sluice.testbed.scenario.ResolvedScenario;
import dev.sluice.testbed.source.LoadGenerator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Runs one scenario in one mode: starts the generator (a thread here), launches the driver on local-cluster with the
 * mode's configuration through the cluster harness, starts the scenario clock once every receiver is connected,
 * prints a progress line, asks the job to stop when the load has ended (plus a short drain), and records
 * {@code run.properties} and {@code scenario.scn} next to the job's CSVs.
 */
public final class ModeRunner {

    private static final long CONNECT_TIMEOUT_MS = 180_000;

    private final RunSettings settings;
    private final PrintStream console;
    /** Recorded in every run's run.properties (e.g. the probe's bracket, the repeat). */
    private final Properties runProperties = new Properties();

    public ModeRunner(RunSettings settings, PrintStream console) {
        this.settings = settings;
        this.console = console;
    }

    /** Adds {@code p} to what every following run records in its run.properties. */
    public ModeRunner recording(Properties p) {
        runProperties.putAll(p);
        return this;
    }

    /** @param label e.g. "[2/10]" for the progress line */
    public Path run(ResolvedScenario scenario, Mode mode, Path runDir, String label) {
        Properties props = prepare(runDir, scenario, mode, settings);
        props.putAll(runProperties);
        props.setProperty("storageLevel", settings.storageLevel());

        List<String> streams = streamsOf(mode);
        props.setProperty("streams", String.join(",", streams));
        try (LoadGenerator gen = new LoadGenerator(scenario, streams, runDir.resolve("source.csv"))) {
            LaunchSpec spec = spec(mode, runDir, gen.ports(), scenario.durationMs(), scenario.capacity());
            long wallStart = System.currentTimeMillis();
            try (DriverProcess driver = ClusterJobLauncher.start(spec)) {
                Progress progress = new Progress(console, settings.progressToTerminal(), label, scenario, mode, runDir,
                        gen, settings.batchMs());
                boolean connected = false;
                while (driver.isAlive() && !(connected = gen.allConnected())
                        && System.currentTimeMillis() - wallStart < CONNECT_TIMEOUT_MS + settings.warmupMs()) {
                    progress.starting(System.currentTimeMillis() - wallStart);
                    Thread.sleep(250);
                }
                if (!connected) {
                    props.setProperty("failure", driver.isAlive() ? "receivers did not connect within "
                            + CONNECT_TIMEOUT_MS / 1000 + " s" : "driver exited before its receivers connected");
                } else {
                    gen.start();
                    props.setProperty("startEpochMs", Long.toString(gen.startEpochMs()));
                    long endAt = gen.startEpochMs() + scenario.durationMs() + settings.drainMs();
                    try (NoisyNeighbour neighbour = new NoisyNeighbour(scenario, runDir)) {
                        while (System.currentTimeMillis() < endAt && driver.isAlive()) {
                            progress.running();
                            neighbour.follow(gen.startEpochMs(), System.currentTimeMillis());
                            Thread.sleep(Math.min(1000, Math.max(1, endAt - System.currentTimeMillis())));
                        }
                    }
                    if (!driver.isAlive()) {
                        props.setProperty("failure", "driver exited during the run");
                    }
                }
                long stopAt = System.currentTimeMillis();
                props.setProperty("stopEpochMs", Long.toString(stopAt));
                Files.writeString(runDir.resolve("stop"), "stop\n", StandardCharsets.UTF_8);
                RunResult result = driver.await();
                progress.done(result);
                recordResult(props, result, wallStart);
                GeneratorTotals.put(props, gen.totals());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            props.setProperty("failure", "interrupted");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            store(runDir, props, "Sluice test bed run");
        }
        return runDir;
    }

    /**
     * Empties a run directory of an earlier run's outputs, writes {@code scenario.scn} and returns the properties
     * every run records (scenario, mode, capacity, batch, time scale, Spark version).
     */
    public static Properties prepare(Path runDir, ResolvedScenario scenario, Mode mode, RunSettings settings) {
        try {
            Files.createDirectories(runDir);
            deleteOldOutputs(runDir);
            Files.writeString(runDir.resolve("scenario.scn"), scenario.scenario().toText(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.setProperty("scenario", scenario.scenario().name());
        props.setProperty("mode", mode.id);
        props.setProperty("capacity", Double.toString(scenario.capacity()));
        props.setProperty("batchMs", Long.toString(settings.batchMs()));
        props.setProperty("timeScale", Double.toString(settings.timeScale()));
        props.setProperty("sparkVersion", settings.home().version().toString());
        props.setProperty("warmupMs", Long.toString(settings.warmupMs()));
        return props;
    }

    /** The driver's outcome into run.properties. */
    public static void recordResult(Properties props, RunResult result, long wallStart) {
        props.setProperty("exitCode", Integer.toString(result.exitCode()));
        props.setProperty("timedOut", Boolean.toString(result.timedOut()));
        props.setProperty("wallMs", Long.toString(System.currentTimeMillis() - wallStart));
    }

    /** Writes {@code run.properties} (a start time is always recorded: the report's clock needs one). */
    public static void store(Path runDir, Properties props, String comment) {
        if (!props.containsKey("startEpochMs")) {
            props.setProperty("startEpochMs", Long.toString(System.currentTimeMillis()));
        }
        try (Writer w = Files.newBufferedWriter(runDir.resolve("run.properties"), StandardCharsets.UTF_8)) {
            props.store(w, comment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    LaunchSpec spec(Mode mode, Path runDir, List<Integer> ports, long durationMs, double capacity)
            throws IOException {
        List<String> portText = new ArrayList<>();
        ports.forEach(p -> portText.add(Integer.toString(p)));
        long maxMs = CONNECT_TIMEOUT_MS + settings.warmupMs() + durationMs + settings.drainMs() + 120_000;
        LaunchSpec base = baseSpec(settings, runDir, TestbedJob.class.getName(), maxMs,
                "--ports", String.join(",", portText), "--streams", String.join(",", streamsOf(mode)),
                "--storage", settings.storageLevel())
                .conf("spark.streaming.blockInterval", "200ms")
                .build();
        return switch (mode) {
            case STOCK -> Modes.stock(base, runDir);
            case SPARK -> Modes.sparkBackpressure(base, runDir, 0);
            case SPARK_TUNED -> Modes.sparkTuned(base, runDir, perReceiverRate(capacity, streamsOf(mode).size()));
            default -> withAgent(settings, mode, runDir, base); // every other mode attaches the agent
        };
    }

    /** The capacity's share of one receiver, rounded up (records/s; at least 1). */
    static long perReceiverRate(double capacity, int receivers) {
        if (!(capacity > 0)) {
            throw new IllegalArgumentException("mode spark-tuned needs the measured capacity; got " + capacity);
        }
        return Math.max(1, (long) Math.ceil(capacity / receivers));
    }

    /**
     * What every job launch of the test bed shares: the job jar and main class with the run's common arguments
     * ({@code --run-dir --batch-ms --hanoi-base --max-ms --warmup-ms --runner-pid}) after {@code jobArgs}, the cluster
     * shape, and the start once every executor is up.
     */
    public static LaunchSpec.Builder baseSpec(RunSettings settings, Path runDir, String mainClass, long maxMs,
                                              String... jobArgs) {
        List<String> args = new ArrayList<>(List.of("--run-dir", runDir.toString()));
        args.addAll(List.of(jobArgs));
        args.addAll(List.of("--batch-ms", Long.toString(settings.batchMs()),
                "--hanoi-base", Integer.toString(settings.hanoiBase()),
                "--max-ms", Long.toString(maxMs),
                "--warmup-ms", Long.toString(settings.warmupMs()),
                "--runner-pid", Long.toString(ProcessHandle.current().pid())));
        return LaunchSpec.builder()
                .home(settings.home())
                .appJar(settings.appJar())
                .mainClass(mainClass)
                .appArgs(args)
                .localCluster(settings.workers(), settings.coresPerWorker(), settings.workerMemoryMb())
                .executorMemory(settings.executorMemory())
                // Start only when every executor is up: receivers then spread over both executors and blocks find a
                // replication peer. Otherwise both receivers may land on the first executor (holding both of its
                // cores), blocks stay single-copy there, and every task waits spark.locality.wait (3 s) for a slot
                // that never frees (shared/docs/real-spark-harness.md, "Locality wait"). For any source, the
                // executors' JVM start is then not counted as a batch's delay.
                .conf("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .conf("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .timeout(Duration.ofMillis(maxMs + 60_000))
                .runDir(runDir);
    }

    /** The mode's agent attachment with the generated {@code sluice.properties} in the run directory. */
    public static LaunchSpec withAgent(RunSettings settings, Mode mode, Path runDir, LaunchSpec base)
            throws IOException {
        if (settings.agentJar() == null || !Files.isRegularFile(settings.agentJar())) {
            throw new IllegalStateException("mode " + mode.id + " needs the agent jar, not found at "
                    + settings.agentJar() + " (build it: mvn -q -pl agent -am package -DskipTests)");
        }
        Path config = runDir.resolve("sluice.properties");
        Files.writeString(config, sluiceProperties(mode, runDir), StandardCharsets.UTF_8);
        return Modes.sluice(base, runDir, settings.agentJar(), config);
    }

    /** The reactive mode replaces every receiver by a reactive one, so the capacity is split the same way. */
    List<String> streamsOf(Mode mode) {
        if (mode != Mode.REACTIVE) {
            return settings.streams();
        }
        List<String> r = new ArrayList<>();
        settings.streams().forEach(s -> r.add("reactive"));
        return r;
    }

    /** The agent configuration a user would write for this mode: strategy, and the CSV sink into the run dir. */
    public static String sluiceProperties(Mode mode, Path runDir) {
        return "# generated by the Sluice test bed for mode " + mode.id + "\n"
                + "sluice.strategy=" + mode.strategy + "\n"
                + "sluice.metrics.file=" + runDir.toAbsolutePath() + "\n"
                + "sluice.metrics.logInterval=10s\n"
                + "sluice.seed=1\n"
                + (mode.extraConfig.isEmpty() ? "" : mode.extraConfig + "\n");
    }

    private static void deleteOldOutputs(Path runDir) throws IOException {
        try (var s = Files.list(runDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".csv") || n.equals("stop") || n.equals("run.properties")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The generator's cumulative totals into run.properties. */
    static final class GeneratorTotals {
        private GeneratorTotals() {
        }

        static void put(Properties p, LoadGenerator.Totals t) {
            p.setProperty("source.intended", Long.toString(t.intended()));
            p.setProperty("source.sent", Long.toString(t.sent()));
            p.setProperty("source.dropped", Long.toString(t.dropped()));
        }
    }

    /** One line, rewritten in place on a terminal (or printed every 10 s otherwise). */
    static final class Progress {
        private final PrintStream out;
        private final boolean terminal;
        private final String label;
        private final ResolvedScenario scenario;
        private final Mode mode;
        private final Path runDir;
        private final LoadGenerator gen;
        private final long batchMs;
        private LoadGenerator.Totals last;
        private long lastAt;
        private long lastPrinted;

        Progress(PrintStream out, boolean terminal, String label, ResolvedScenario scenario, Mode mode, Path runDir,
                 LoadGenerator gen, long batchMs) {
            this.out = out;
            this.terminal = terminal;
            this.label = label;
            this.scenario = scenario;
            this.mode = mode;
            this.runDir = runDir;
            this.gen = gen;
            this.batchMs = batchMs;
        }

        void starting(long elapsedMs) {
            print(String.format(Locale.ROOT, "%s %s %-15s starting Spark (%d s)", label, scenario.scenario().name(),
                    mode.id, elapsedMs / 1000), false);
        }

        void running() {
            long now = System.currentTimeMillis();
            long off = now - gen.startEpochMs();
            LoadGenerator.Totals t = gen.totals();
            double sentRate = 0;
            double dropRate = 0;
            if (last != null && now > lastAt) {
                sentRate = (t.sent() - last.sent()) * 1000.0 / (now - lastAt);
                dropRate = (t.dropped() - last.dropped()) * 1000.0 / (now - lastAt);
            }
            last = t;
            lastAt = now;
            int pi = scenario.phaseIndexAt(off);
            Phase p = scenario.phase(pi);
            String phase = off >= scenario.durationMs() ? "drain" : (pi + 1) + "/" + scenario.phaseCount() + " "
                    + p.kind().name().toLowerCase(Locale.ROOT) + " cost " + p.cost();
            Csv b = Csv.read(runDir.resolve("batches.csv"));
            String batch = "no batch yet";
            if (b.size() > 0) {
                int i = b.size() - 1;
                batch = String.format(Locale.ROOT, "processed %5.0f/s sched %5.1f s", b.num(i, "records") * 1000.0
                        / batchMs, b.num(i, "schedulingDelayMs") / 1000.0);
            }
            print(String.format(Locale.ROOT, "%s %s %-15s %-18s t=%4d/%d s offered %6.0f/s sent %6.0f/s "
                            + "src-drop %6.0f/s %s", label, scenario.scenario().name(), mode.id, phase, off / 1000,
                    scenario.durationMs() / 1000, scenario.rateAt(off), sentRate, dropRate, batch), false);
        }

        void done(RunResult r) {
            print(String.format(Locale.ROOT, "%s %s %-15s done: %s, %.0f s", label, scenario.scenario().name(),
                    mode.id, r.succeeded() ? "ok" : "exit " + r.exitCode() + (r.timedOut() ? " (timed out)" : ""),
                    r.wallMillis() / 1000.0), true);
        }

        private void print(String line, boolean finalLine) {
            long now = System.currentTimeMillis();
            if (terminal) {
                out.print("\r\033[2K" + line + (finalLine ? "\n" : ""));
                out.flush();
            } else if (finalLine || now - lastPrinted >= 10_000) {
                lastPrinted = now;
                out.println(line);
            }
        }
    }
}
