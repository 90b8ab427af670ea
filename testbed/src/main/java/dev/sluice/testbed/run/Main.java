package dev.sluice.testbed.run;

import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkHomes;
import dev.sluice.testbed.cluster.SparkVersion;
import dev.sluice.testbed.job.Work;
import dev.sluice.testbed.kafka.KafkaCapacity;
import dev.sluice.testbed.kafka.KafkaModeRunner;
import dev.sluice.testbed.kafka.KafkaRig;
import dev.sluice.testkit.kafka.KafkaJars;
import dev.sluice.testbed.report.ReportWriter;
import dev.sluice.testbed.report.ResultsPage;
import dev.sluice.testbed.scenario.Scenario;
import dev.sluice.testbed.scenario.Scenarios;
import dev.sluice.testbed.sql.SqlFilesRunner;
import dev.sluice.testbed.sql.SqlJob;
import dev.sluice.testbed.sql.SqlKafkaRunner;
import dev.sluice.testbed.sql.SqlScenario;
import dev.sluice.testbed.sql.SqlSourceRunner;
import dev.sluice.testbed.sql.SqlTestbed;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code ./testbed} command: runs scenarios in modes on local-cluster and writes the report. */
public final class Main {

    public static final String USAGE = """
            usage: ./testbed.sh [options]
              --source S           receivers (default: socket + bulk receivers fed over TCP) or kafka (a Kafka direct
                                   stream, spark-streaming-kafka-0-10, on a real KRaft broker started for each run:
                                   topic of 4 partitions, producer offering the scenario; modes stock, spark,
                                   sluice-throttle; adds consumer lag and exactly-once accounting to the report),
                                   or a Structured Streaming query of the examples jar: sql-files (JSON files the
                                   runner writes, parquet sink) or sql-kafka (spark-sql-kafka-0-10 on a real broker,
                                   foreachBatch sink); these run the scenario backlog-spike (a backlog of 60 s of the
                                   2-core ceiling, 125 rows/s after it, rows written 85-110 s in cost 3x) in the modes
                                   none (stock Spark, no read limit), static (stock Spark, maxFilesPerTrigger /
                                   maxOffsetsPerTrigger = one trigger interval of the capacity the none run measured,
                                   or of --capacity) and sluice (the agent, no option); ~8-10 min
              --scenario LIST      comma-separated scenario names or .scn files (default: overload,spike; with
                                   --source kafka: overload,spike,backlog); shipped: overload, spike, spike-long,
                                   spike-high, slow-ramp, burst, cold-start (no JIT warm-up, 5x from the
                                   first second), noisy-neighbour (2x, a CPU-heavy process switched on and
                                   off beside the cluster), capacity, backlog (kafka only: the job starts behind 60 s
                                   of its capacity)
              --modes LIST         comma-separated: stock, spark, sluice-throttle, sluice-drop, sluice-sample,
                                   reactive, or all (default: all); also, not in all: sluice-throttle-noguard,
                                   sluice-drop-noguard, sluice-throttle-pid, sluice-drop-pid, spark-tuned (Spark's
                                   back-pressure with initialRate = receiver.maxRate = capacity / receivers). With --source kafka:
                                   stock, spark (back-pressure on, initialRate = capacity, maxRatePerPartition =
                                   capacity / 4), sluice-throttle (default: all three)
              --time-scale F       multiply every phase duration by F (default 0.1; the capacity probe is not scaled)
              --spark-version V    3.5.7 (default) or 4.1.0 (Spark home assembled from Maven Central, cached)
              --out DIR            output directory (default: testbed-out/<timestamp>)
              --capacity N         use N records/s as the measured capacity instead of a probe (with --source kafka
                                   the probe is a 25 s stock run of the Kafka job, batches capped at 8000 records)
              --cached-capacity    use the capacity the last probe cached, if any, instead of probing in this run
                                   (quicker, but the machine may have changed speed since; by default every run that
                                   needs a capacity measures it first, ~2 min)
              --remeasure          probe in this run (the default; kept for scripts)
              --warmup S           seconds of the job's record path run as batch jobs before streaming starts, in
                                   every mode and in the probe, so fresh JVMs finish compiling first (default 30)
              --agent-jar PATH     Sluice agent jar (default: agent/target/sluice-agent-0.1.0-SNAPSHOT.jar)
              --examples-jar PATH  the examples jar, whose jobs the sql-* sources run (default:
                                   examples/target/sluice-examples-0.1.0-SNAPSHOT.jar)
              --streams LIST       receivers, in stream-id order: socket,bulk (default), socket or bulk
                                   (socket alone: only Spark's socket receiver, whose store(single) Spark's own rate
                                   limiter governs: the fair ground for the spark and spark-tuned modes)
              --repeat N           run every mode N times (default 1), the mode order rotated between repeats; the
                                   report shows every run and per mode the median and spread (min-max)
              --report-only DIR    rebuild DIR/report.md from the runs recorded in DIR; runs nothing
              --publish-results DIR
                                   write docs/results.md (and its charts, docs/results/) from the run in DIR;
                                   runs nothing (run it from the repository's root, as ./testbed.sh does)
              --help               this text
            """;

    private Main() {
    }

    public static void main(String[] args) {
        try {
            Path report = run(args, System.out);
            if (report != null) {
                System.out.println("report: " + report.toAbsolutePath());
            }
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("testbed: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("testbed: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Runs the command; returns the report path (null for --help or a probe-only run). */
    public static Path run(String[] args, PrintStream console) {
        Map<String, String> opt = parse(args);
        if (opt.containsKey("--help")) {
            console.println(USAGE);
            return null;
        }
        if (opt.containsKey("--publish-results")) {
            return ResultsPage.publish(Paths.get(opt.get("--publish-results")).toAbsolutePath(),
                    Paths.get("docs").toAbsolutePath());
        }
        if (opt.containsKey("--report-only")) {
            return reportOnly(Paths.get(opt.get("--report-only")).toAbsolutePath());
        }
        String source = opt.getOrDefault("--source", "receivers");
        if (source.startsWith("sql-")) {
            return runSql(source, opt, args, console);
        }
        if (!source.equals("receivers") && !source.equals("kafka")) {
            throw new IllegalArgumentException("unknown source '" + source
                    + "'; expected receivers, kafka, sql-files or sql-kafka");
        }
        boolean kafka = source.equals("kafka");
        List<Scenario> scenarios = new ArrayList<>();
        for (String s : opt.getOrDefault("--scenario", kafka ? "overload,spike,backlog" : "overload,spike")
                .split(",")) {
            if (!s.isBlank()) {
                scenarios.add(Scenarios.load(s.trim()));
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--scenario lists no scenario");
        }
        for (Scenario s : scenarios) {
            if (kafka && s.phases().stream().anyMatch(p -> p.neighbour())) {
                throw new IllegalArgumentException("scenario '" + s.name() + "' runs a noisy neighbour, which only the "
                        + "receivers source runs (drop --source kafka)");
            }
            if (!kafka && s.backlogMs() > 0) {
                throw new IllegalArgumentException("scenario '" + s.name() + "' starts behind a backlog, which only "
                        + "the kafka source can hold (add --source kafka)");
            }
        }
        List<Mode> modes = kafka && (!opt.containsKey("--modes") || opt.get("--modes").trim().equalsIgnoreCase("all"))
                ? KafkaModeRunner.MODES : Mode.parseList(opt.get("--modes"));
        if (kafka) {
            KafkaModeRunner.checkModes(modes);
        }
        double timeScale = number(opt, "--time-scale", 0.1);
        int repeats = repeats(opt);
        SparkVersion version = SparkVersion.parse(opt.getOrDefault("--spark-version", "3.5.7"));
        Path out = Paths.get(opt.getOrDefault("--out", "testbed-out/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        List<String> streams = List.of(opt.getOrDefault("--streams", "socket,bulk").split(","));
        for (String s : streams) {
            if (!s.equals("socket") && !s.equals("bulk")) {
                throw new IllegalArgumentException("unknown stream '" + s + "'; expected socket and/or bulk");
            }
        }
        Path agentJar = opt.containsKey("--agent-jar") ? Paths.get(opt.get("--agent-jar")).toAbsolutePath()
                : defaultAgentJar();
        boolean needsAgent = modes.stream().anyMatch(Mode::usesAgent);
        if (needsAgent && (agentJar == null || !Files.isRegularFile(agentJar))) {
            throw new IllegalArgumentException("the Sluice modes need the agent jar; not found at " + agentJar
                    + " (build it with: mvn -q -pl agent -am package -DskipTests, or pass --agent-jar)");
        }

        if (needsAgent) {
            agentJar = snapshotAgent(agentJar, out.resolve("job"));
        }
        console.println("Spark " + version + ": resolving the Spark home (assembled from Maven Central on first use)");
        SparkHome home = SparkHomes.resolve(version);
        RunSettings settings = new RunSettings(home, JobJar.build(out.resolve("job")), agentJar, out, timeScale, 1000, Work.DEFAULT_BASE,
                "MEMORY_AND_DISK_SER_2", streams, 2, 2, 1024, "512m", 4000,
                (long) (1000 * number(opt, "--warmup", 30)), System.console() != null);

        double capacity = opt.containsKey("--capacity") ? number(opt, "--capacity", -1) : -1;
        if (kafka) {
            return runKafka(settings, scenarios, modes, capacity, version, args, console);
        }
        String capacityHow = "given by --capacity";
        CapacityProbe.Measured measured = null;
        boolean needCapacity = scenarios.stream().anyMatch(s -> s.usesCapacityMultiples() || s.isCapacityProbe());
        if (capacity <= 0 && needCapacity) {
            boolean probeOnly = scenarios.stream().allMatch(Scenario::isCapacityProbe);
            measured = CapacityProbe.capacity(settings, CapacityCache.defaultCache(),
                    !opt.containsKey("--cached-capacity") || probeOnly, console);
            capacity = measured.recordsPerSecond();
            capacityHow = measured.how();
            if (probeOnly) {
                return null;
            }
        }

        if (modes.contains(Mode.SPARK_TUNED) && !(capacity > 0)) {
            throw new IllegalArgumentException("mode spark-tuned needs a capacity: its scenario gives absolute rates, "
                    + "so no probe ran; pass --capacity N");
        }
        List<Scenario> runnable = scenarios.stream().filter(s -> !s.isCapacityProbe()).toList();
        int total = runnable.size() * modes.size() * repeats;
        int n = 0;
        long t0 = System.currentTimeMillis();
        List<ReportWriter.ScenarioRuns> results = new ArrayList<>();
        ModeRunner warm = new ModeRunner(settings, console);
        ModeRunner cold = new ModeRunner(settings.cold(), console);
        if (measured != null) {
            warm.recording(measured.runProperties());
            cold.recording(measured.runProperties());
        }
        for (Scenario s : runnable) {
            Scenario scaled = s.scaled(timeScale);
            ModeRunner runner = s.cold() ? cold : warm;
            for (int r = 1; r <= repeats; r++) {
                java.util.Properties repeat = new java.util.Properties();
                repeat.setProperty("repeat", Integer.toString(r));
                repeat.setProperty("repeats", Integer.toString(repeats));
                runner.recording(repeat);
                for (Mode m : rotated(modes, r - 1)) {
                    n++;
                    runner.run(scaled.resolve(capacity), m, out.resolve(s.name()).resolve(runDirName(m, r, repeats)),
                            "[" + n + "/" + total + "]");
                }
            }
            List<String> order = new ArrayList<>();
            for (Mode m : modes) {
                for (int r = 1; r <= repeats; r++) {
                    order.add(runDirName(m, r, repeats));
                }
            }
            results.add(ReportWriter.load(out.resolve(s.name()), order));
        }
        String header = String.format(Locale.ROOT, "Spark %s on local-cluster[%d,%d,%d], executors %s, batch %d ms, "
                        + "receivers %s, storage %s, time scale %s, capacity %.0f records/s (%s). Wall time %.1f min. "
                        + "Command: `./testbed.sh %s`.", version, settings.workers(), settings.coresPerWorker(),
                settings.workerMemoryMb(), settings.executorMemory(), settings.batchMs(), String.join("+", streams),
                settings.storageLevel(), timeScale, capacity, capacityHow, (System.currentTimeMillis() - t0) / 60000.0,
                String.join(" ", args));
        return ReportWriter.write(out, results, header);
    }

    static int repeats(Map<String, String> opt) {
        double r = number(opt, "--repeat", 1);
        if (r != Math.rint(r) || r > 100) {
            throw new IllegalArgumentException("--repeat must be a whole number of runs from 1 to 100, got '"
                    + opt.get("--repeat") + "'");
        }
        return (int) r;
    }

    /** The modes rotated left by {@code k}: each repeat starts with another mode, so no mode always runs first. */
    static List<Mode> rotated(List<Mode> modes, int k) {
        List<Mode> out = new ArrayList<>(modes);
        java.util.Collections.rotate(out, -(k % Math.max(1, modes.size())));
        return out;
    }

    /** {@code <mode>}, or {@code <mode>-r<k>} when every mode runs several times. */
    static String runDirName(Mode m, int repeat, int repeats) {
        return repeats > 1 ? m.id + "-r" + repeat : m.id;
    }

    /** The Structured Streaming sources: the backlog-spike scenario in the modes none, static, sluice; the report. */
    static Path runSql(String source, Map<String, String> opt, String[] args, PrintStream console) {
        if (!source.equals("sql-files") && !source.equals("sql-kafka")) {
            throw new IllegalArgumentException("unknown source '" + source
                    + "'; expected receivers, kafka, sql-files or sql-kafka");
        }
        SqlScenario scenario = SqlScenario.BACKLOG_SPIKE;
        String scn = opt.getOrDefault("--scenario", scenario.name());
        if (!scn.equals(scenario.name())) {
            throw new IllegalArgumentException("--source " + source + " runs the scenario " + scenario.name()
                    + " only, got '" + scn + "'");
        }
        String modes = opt.getOrDefault("--modes", "all");
        if (!modes.equalsIgnoreCase("all") && !modes.equals("none,static,sluice")) {
            throw new IllegalArgumentException("--source " + source + " runs the modes none,static,sluice (all), "
                    + "in that order: static is sized from the none run; got '" + modes + "'");
        }
        for (String o : List.of("--time-scale", "--repeat", "--streams", "--warmup", "--cached-capacity")) {
            if (opt.containsKey(o)) {
                throw new IllegalArgumentException(o + " does not apply to --source " + source);
            }
        }
        SparkVersion version = SparkVersion.parse(opt.getOrDefault("--spark-version", "3.5.7"));
        Path out = Paths.get(opt.getOrDefault("--out", "testbed-out/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))).toAbsolutePath();
        Path agentJar = opt.containsKey("--agent-jar") ? Paths.get(opt.get("--agent-jar")).toAbsolutePath()
                : defaultAgentJar();
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("the sluice mode needs the agent jar; not found at " + agentJar
                    + " (build it with: mvn -q -pl agent -am package -DskipTests, or pass --agent-jar)");
        }
        Path examplesJar = opt.containsKey("--examples-jar") ? Paths.get(opt.get("--examples-jar")).toAbsolutePath()
                : besideRepository("examples/target/sluice-examples-0.1.0-SNAPSHOT.jar");
        if (!Files.isRegularFile(examplesJar)) {
            throw new IllegalArgumentException("the sql sources run the examples jar's jobs; not found at "
                    + examplesJar + " (build it with: mvn -q -pl examples -am package -DskipTests)");
        }
        agentJar = snapshotAgent(agentJar, out.resolve("job"));
        examplesJar = snapshot(examplesJar, out.resolve("job"));
        console.println("Spark " + version + ": resolving the Spark home (assembled from Maven Central on first use)");
        SparkHome home = SparkHomes.resolve(version);
        SqlJob job = new SqlJob(home, examplesJar, agentJar, scenario, console);
        SqlSourceRunner runner = source.equals("sql-files") ? new SqlFilesRunner(job) : new SqlKafkaRunner(job);
        double capacity = opt.containsKey("--capacity") ? number(opt, "--capacity", -1) : -1;
        return SqlTestbed.run(runner, job, out, capacity, String.join(" ", args));
    }

    /** A copy of {@code jar} in {@code dir}: every run of the command uses the same jar, even if it is rebuilt. */
    static Path snapshot(Path jar, Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.copy(jar, dir.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot copy " + jar + ": " + e.getMessage());
        }
    }

    /** The kafka source: capacity of the Kafka job (probe or --capacity), every scenario in every mode, the report. */
    static Path runKafka(RunSettings settings, List<Scenario> scenarios, List<Mode> modes, double givenCapacity,
                         SparkVersion version, String[] args, PrintStream console) {
        long t0 = System.currentTimeMillis();
        KafkaModeRunner runner = new KafkaModeRunner(settings, console);
        double capacity = givenCapacity;
        String capacityHow = "given by --capacity";
        if (capacity <= 0) {
            KafkaCapacity.Measured m = KafkaCapacity.probe(runner, settings.out(), console);
            capacity = m.recordsPerSecond();
            capacityHow = m.how();
        }
        List<Scenario> runnable = scenarios.stream().filter(s -> !s.isCapacityProbe()).toList();
        int total = runnable.size() * modes.size();
        int n = 0;
        List<ReportWriter.ScenarioRuns> results = new ArrayList<>();
        KafkaModeRunner cold = new KafkaModeRunner(settings.cold(), console);
        for (Scenario s : runnable) {
            Scenario scaled = s.scaled(settings.timeScale());
            for (Mode m : modes) {
                n++;
                (s.cold() ? cold : runner).run(scaled.resolve(capacity), m, settings.out().resolve(s.name()).resolve(m.id),
                        "[" + n + "/" + total + "]");
            }
            results.add(ReportWriter.load(settings.out().resolve(s.name()), modes.stream().map(m -> m.id).toList()));
        }
        String header = String.format(Locale.ROOT, "Source kafka: a direct stream (spark-streaming-kafka-0-10 %s) on "
                        + "a real Kafka %s broker (KRaft, its own JVM), topic of %d partitions. Spark %s on "
                        + "local-cluster[%d,%d,%d], executors %s, batch %d ms, time scale %s, capacity %.0f records/s "
                        + "(%s). Wall time %.1f min. Command: `./testbed.sh %s`.",
                KafkaRig.nearestServedConnector(version), KafkaJars.DEFAULT_BROKER_VERSION, KafkaRig.PARTITIONS,
                version, settings.workers(), settings.coresPerWorker(), settings.workerMemoryMb(),
                settings.executorMemory(), settings.batchMs(), settings.timeScale(), capacity, capacityHow,
                (System.currentTimeMillis() - t0) / 60000.0, String.join(" ", args));
        return ReportWriter.write(settings.out(), results, header);
    }

    /**
     * Copies the agent jar into the output directory and checks that it is an agent: every run of this command then
     * uses the same agent, even if the jar is rebuilt meanwhile (a half-written jar has no Premain-Class).
     */
    static Path snapshotAgent(Path agentJar, Path dir) {
        try {
            Files.createDirectories(dir);
            Path copy = dir.resolve("sluice-agent.jar");
            Files.copy(agentJar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(copy.toFile())) {
                java.util.jar.Manifest mf = jar.getManifest();
                if (mf == null || mf.getMainAttributes().getValue("Premain-Class") == null) {
                    throw new IllegalArgumentException(agentJar + " is not a Java agent (no Premain-Class in its "
                            + "manifest; is it being rebuilt? build it with: mvn -q -pl agent -am package -DskipTests)");
                }
            }
            return copy;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read the agent jar " + agentJar + ": " + e.getMessage());
        }
    }

    /** Rebuilds the report from {@code <dir>/<scenario>/<mode>/} run directories. */
    static Path reportOnly(Path dir) {
        List<ReportWriter.ScenarioRuns> results = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                // Probes are no scenario of the report (kafka-capacity: the Kafka source's probe).
                if (Files.isDirectory(p) && !name.equals(Scenario.CAPACITY_PROBE) && !name.equals("kafka-capacity")) {
                    ReportWriter.ScenarioRuns r = ReportWriter.load(p, Mode.defaults().stream().map(m -> m.id)
                            .toList());
                    if (!r.runs().isEmpty()) {
                        results.add(r);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + dir + ": " + e.getMessage());
        }
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no recorded runs (<scenario>/<mode>/run.properties) under " + dir);
        }
        String header = "Rebuilt from the runs recorded in " + dir + ".";
        Path old = dir.resolve("report.md");
        if (Files.exists(old)) {
            try {
                // Keep the original run's description (versions, wall time, command).
                List<String> lines = Files.readAllLines(old);
                if (lines.size() > 2 && !lines.get(2).isBlank()) {
                    header = lines.get(2).replace(" " + header, "") + " " + header;
                }
            } catch (java.io.IOException e) {
                // fall back to the plain header
            }
        }
        return ReportWriter.write(dir, results, header);
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> flags = List.of("--help", "--remeasure", "--cached-capacity");
        List<String> valued = List.of("--source", "--report-only", "--publish-results", "--scenario", "--modes", "--time-scale", "--spark-version", "--out",
                "--capacity", "--agent-jar", "--examples-jar", "--streams", "--warmup", "--repeat");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (flags.contains(a)) {
                m.put(a, "true");
            } else if (valued.contains(a)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("option " + a + " needs a value");
                    }
                    value = args[++i];
                }
                m.put(a, value);
            } else {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        return m;
    }

    private static double number(Map<String, String> opt, String key, double dflt) {
        String v = opt.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number > 0, got '" + v + "'");
        }
    }

    /** The jar (or classes directory) this class was loaded from: it holds the job, receivers and plugin. */
    static Path appJar() {
        try {
            return Paths.get(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** agent/target/sluice-agent-0.1.0-SNAPSHOT.jar above the working directory or the app jar. */
    static Path defaultAgentJar() {
        return besideRepository("agent/target/sluice-agent-0.1.0-SNAPSHOT.jar");
    }

    /** {@code relative} in the first directory above the working directory or the app jar that holds it. */
    static Path besideRepository(String relative) {
        for (Path start : new Path[] {Paths.get("").toAbsolutePath(), appJar()}) {
            for (Path p = start; p != null; p = p.getParent()) {
                Path jar = p.resolve(relative);
                if (Files.isRegularFile(jar)) {
                    return jar;
                }
            }
        }
        return Paths.get(relative).toAbsolutePath();
    }
}
