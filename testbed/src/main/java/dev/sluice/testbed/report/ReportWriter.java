package dev.sluice.testbed.report;

import dev.sluice.testbed.scenario.Phase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes {@code <out>/report.md} (one table per scenario, charts below it) and {@code <out>/summary.csv} from the run
 * directories {@code <out>/<scenario>/<mode>/}. Works on any recorded run directory: the CLI calls it after the runs,
 * tests call it on fixtures.
 */
public final class ReportWriter {

    /** Control quality: the first table. */
    public static final List<String> COLUMNS = List.of("mode", "run", "steady sched. delay (s)",
            "peak sched. delay (s)", "data age p50 / p95 / max (s)", "to steady from start (s / batches)",
            "to steady after spike (s)", "to recover after spike (s)", "steady rec/s socket / bulk", "overshoot",
            "oscillation (CV)", "peak heap after GC (MB)", "min free storage (MB)");
    /** Against the limit of the run: the second table. */
    public static final List<String> LIMIT_COLUMNS = List.of("mode", "goodput (÷ capacity)",
            "goodput ÷ step kept up / not", "busy", "own capacity (÷ probe)", "T* probe / own (s)",
            "to recover ÷ T* probe / own", "lost (Sluice + source)", "min loss probe / own",
            "lost ÷ min loss probe / own", "lost before overload", "lost from overload ÷ min loss probe / own",
            "lost after spike", "backlog at stop");
    /** Both tables' columns, as summary.csv holds them (mode once). */
    public static final List<String> ALL_COLUMNS = java.util.stream.Stream.concat(COLUMNS.stream(),
            LIMIT_COLUMNS.stream().skip(1)).toList();

    private ReportWriter() {
    }

    /** One scenario's runs, in the order given (mode order of the command). */
    public record ScenarioRuns(String scenario, Path dir, List<RunData> runs) {
    }

    public static ScenarioRuns load(Path scenarioDir, List<String> modeOrder) {
        List<RunData> runs = new ArrayList<>();
        List<String> modes = new ArrayList<>(modeOrder);
        try (Stream<Path> s = Files.list(scenarioDir)) {
            s.filter(p -> Files.exists(p.resolve("run.properties"))).map(p -> p.getFileName().toString()).sorted()
                    .filter(m -> !modes.contains(m)).forEach(modes::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String m : modes) {
            Path d = scenarioDir.resolve(m);
            if (Files.exists(d.resolve("run.properties"))) {
                runs.add(RunData.load(m, d));
            }
        }
        return new ScenarioRuns(scenarioDir.getFileName().toString(), scenarioDir, runs);
    }

    /** Writes report.md and summary.csv under {@code out}; returns the report's path. */
    public static Path write(Path out, List<ScenarioRuns> scenarios, String header) {
        StringBuilder md = new StringBuilder("# Sluice test bed report\n\n").append(header).append("\n\n");
        md.append("Figures are defined in docs/testbed.md (\"Figures\"). `never` = not reached before the load ended;")
                .append(" `n/a` = not applicable. B = batch interval.\n\n");
        StringBuilder csv = new StringBuilder("scenario," + String.join(",", ALL_COLUMNS).replace("÷", "/") + "\n");
        for (ScenarioRuns sr : scenarios) {
            if (sr.runs().isEmpty()) {
                continue;
            }
            RunData first = sr.runs().get(0);
            md.append("## Scenario `").append(sr.scenario()).append("`\n\n");
            md.append(describe(first)).append("\n\n");
            List<Figures> figures = sr.runs().stream().map(Figures::of).toList();
            List<List<String>> rows = new ArrayList<>();
            List<List<String>> limitRows = new ArrayList<>();
            for (int i = 0; i < figures.size(); i++) {
                rows.add(row(sr.runs().get(i), figures.get(i)));
                limitRows.add(limitRow(sr.runs().get(i), figures.get(i)));
                List<String> all = new ArrayList<>(rows.get(i));
                all.addAll(limitRows.get(i).subList(1, limitRows.get(i).size()));
                csv.append(sr.scenario()).append(',').append(String.join(",", all.stream()
                        .map(c -> c.replace(",", ";")).toList())).append('\n');
            }
            md.append("Control quality:\n\n").append(table(COLUMNS, rows));
            md.append("\nAgainst the limit of the run (").append(limitLine(first)).append("):\n\n")
                    .append(table(LIMIT_COLUMNS, limitRows));
            md.append(probeDriftLine(figures.stream().map(f -> f.ownCapacity).toList(), first.capacityBracket()));
            md.append("\nData age per phase (s, p50 / p95 / max; phases by batch time, the last includes the drain):")
                    .append("\n\n").append(agePerPhase(first, sr.runs(), figures));
            if (first.scenario.scenario().phases().stream().anyMatch(p -> p.neighbour())) {
                md.append("\nPer phase, second half (records per batch CV / mean / max scheduling delay in s; ")
                        .append("`neighbour`: a CPU-heavy process ran beside the cluster):\n\n")
                        .append(steadinessPerPhase(first, sr.runs(), figures));
            }
            String repeats = Repeats.table(sr.runs(), figures);
            if (!repeats.isEmpty()) {
                md.append("\nRepeats (median, spread min–max over the runs of each mode; modes rotated between ")
                        .append("repeats):\n\n").append(repeats);
            }
            md.append('\n');
            List<Path> charts = List.of(Charts.freeMemory(out, sr.scenario(), sr.runs()),
                    Charts.heapAfterGc(out, sr.scenario(), sr.runs()), Charts.rates(out, sr.scenario(), sr.runs()),
                    Charts.schedulingDelay(out, sr.scenario(), sr.runs()), Charts.drops(out, sr.scenario(), sr.runs()),
                    Charts.dataAge(out, sr.scenario(), sr.runs()), Charts.processingTime(out, sr.scenario(), sr.runs()),
                    Charts.sourceRefusals(out, sr.scenario(), sr.runs()));
            if (sr.runs().stream().anyMatch(RunData::kafkaSource)) {
                md.append(KafkaFigures.table(sr.runs())).append('\n');
                charts = new ArrayList<>(charts);
                charts.add(Charts.consumerLag(out, sr.scenario(), sr.runs()));
            }
            for (Path c : charts) {
                md.append("![").append(c.getFileName()).append("](").append(out.relativize(c)).append(")\n\n");
            }
            md.append("Raw CSVs per mode: `").append(out.relativize(sr.dir())).append("/<mode>/`.\n\n");
        }
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("summary.csv"), csv.toString(), StandardCharsets.UTF_8);
            Path report = out.resolve("report.md");
            Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + out, e);
        }
    }

    static String table(List<String> columns, List<List<String>> rows) {
        StringBuilder md = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n");
        md.append("|").append("---|".repeat(columns.size())).append("\n");
        for (List<String> r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return md.toString();
    }

    /** The first table's cells for one run. */
    public static List<String> row(RunData d, Figures f) {
        List<String> r = new ArrayList<>();
        r.add(d.label());
        r.add(f.status);
        r.add(num(f.steadySchedulingDelayS, 2));
        r.add(num(f.peakSchedulingDelayS, 1));
        r.add(age(f.age));
        r.add(Double.isInfinite(f.timeToSteadyFromStartS) || Double.isNaN(f.timeToSteadyFromStartS)
                ? num(f.timeToSteadyFromStartS, 0) : num(f.timeToSteadyFromStartS, 0) + " / "
                + f.batchesToSteadyFromStart);
        r.add(num(f.timeToSteadyAfterSpikeS, 0));
        r.add(num(f.timeToRecoverAfterSpikeS, 0));
        r.add(num(f.steadyRate0, 0) + " / " + num(f.steadyRate1, 0));
        r.add(Double.isNaN(f.overshoot) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", f.overshoot * 100));
        r.add(num(f.oscillation, 2));
        r.add(Double.isNaN(f.peakHeapAfterGcMb) ? "n/a" : String.format(Locale.ROOT, "%.0f of %.0f",
                f.peakHeapAfterGcMb, f.heapMaxMb));
        r.add(Double.isNaN(f.minFreeStorageMb) ? "n/a" : String.format(Locale.ROOT, "%.0f of %.0f",
                f.minFreeStorageMb, f.storageMaxMb));
        return r;
    }

    /** The second table's cells for one run: every figure against the physical limit of the run. */
    public static List<String> limitRow(RunData d, Figures f) {
        List<String> r = new ArrayList<>();
        r.add(d.label());
        r.add(num(f.goodput, 2));
        r.add(num(f.goodputVsKeptUp, 2) + " / " + num(f.goodputVsFailed, 2));
        r.add(Double.isNaN(f.busyFraction) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * f.busyFraction));
        r.add(ownCapacityCell(f.ownCapacity, d.capacity(), d.capacityBracket()[1]));
        r.add(num(f.probeLimit.tStarS(), 0) + " / " + num(f.ownLimit.tStarS(), 0));
        r.add(ratio(f.timeToRecoverAfterSpikeS, f.probeLimit.tStarS()) + " / "
                + ratio(f.timeToRecoverAfterSpikeS, f.ownLimit.tStarS()));
        r.add(f.recordsLost() + " (" + f.sluiceDropped + " + " + f.sourceDropped + ")");
        r.add(num(f.probeLimit.minLoss(), 0) + " / " + num(f.ownLimit.minLoss(), 0));
        r.add(ratio(f.recordsLost(), f.probeLimit.minLoss()) + " / " + ratio(f.recordsLost(), f.ownLimit.minLoss()));
        r.add(Double.isNaN(f.probeLimit.overloadFromS()) ? "n/a" : Long.toString(f.lostBeforeOverloadProbe));
        r.add(ratio(f.lostFromOverloadProbe(), f.probeLimit.minLoss()) + " / "
                + ratio(f.lostFromOverloadOwn(), f.ownLimit.minLoss()));
        r.add(num(f.lostAfterSpike, 0));
        r.add(Long.toString(f.backlogAtStop));
        return r;
    }

    /** value ÷ limit; "never" when the value is; "x/0" or "0/0" when the limit is 0 and no ratio exists. */
    static String ratio(double value, double limit) {
        if (Double.isNaN(value) || Double.isNaN(limit)) {
            return "n/a";
        }
        if (Double.isInfinite(value)) {
            return "never";
        }
        if (Double.isInfinite(limit)) {
            return "0";
        }
        if (!(limit > 0)) {
            return value > 0 ? "x/0" : "0/0";
        }
        return num(value / limit, 2);
    }

    static String age(DataAge a) {
        return num(a.p50S(), 1) + " / " + num(a.p95S(), 1) + " / " + num(a.maxS(), 1);
    }

    private static String agePerPhase(RunData first, List<RunData> runs, List<Figures> figures) {
        return perPhase(first, runs, figures, f -> f.agePerPhase.stream().map(ReportWriter::age).toList());
    }

    private static String steadinessPerPhase(RunData first, List<RunData> runs, List<Figures> figures) {
        return perPhase(first, runs, figures, f -> f.steadinessPerPhase.stream().map(p -> num(p.oscillation(), 2)
                + " / " + num(p.meanDelayS(), 2) + " / " + num(p.maxDelayS(), 2)).toList());
    }

    /** A table with a row per run and a column per phase, the cells from each run's figures. */
    private static String perPhase(RunData first, List<RunData> runs, List<Figures> figures,
                                   java.util.function.Function<Figures, List<String>> cells) {
        List<String> columns = new ArrayList<>(List.of("mode"));
        for (int i = 0; i < first.scenario.phaseCount(); i++) {
            columns.add((i + 1) + ": " + first.scenario.phase(i).toLine());
        }
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            List<String> r = new ArrayList<>(List.of(runs.get(i).label()));
            r.addAll(cells.apply(figures.get(i)));
            rows.add(r);
        }
        return table(columns, rows);
    }

    /**
     * The run's own capacity ({@link Limit#ownCapacity}) and its ratio to the probe's, marked when it lies above the
     * probe's first step that did not keep up: a rate this machine was seen not to sustain in the probe, so the "own"
     * limit built on it is optimistic (the machine ran faster during the run, or the run's full batches were few).
     */
    static String ownCapacityCell(double own, double probeCapacity, double failedStep) {
        if (Double.isNaN(own)) {
            return "no full batch";
        }
        return String.format(Locale.ROOT, "%.0f (%.2f)%s", own, own / probeCapacity,
                own > failedStep ? " > not kept up" : "");
    }

    /**
     * A line under the second table when most runs' own capacities lie outside the probe's bracket: the machine then
     * ran at another speed than during the probe (a probe taken once per command, runs up to an hour later), and the
     * probe's columns judge that drift as much as the modes. Empty otherwise, or without a bracket.
     */
    static String probeDriftLine(List<Double> ownCapacities, double[] bracket) {
        if (Double.isNaN(bracket[0]) || Double.isNaN(bracket[1])) {
            return "";
        }
        List<Double> read = ownCapacities.stream().filter(c -> !Double.isNaN(c)).sorted().toList();
        long above = read.stream().filter(c -> c > bracket[1]).count();
        long below = read.stream().filter(c -> c < bracket[0]).count();
        if (2 * (above + below) <= read.size()) { // also no run with an own capacity: 0 of 0
            return "";
        }
        return String.format(Locale.ROOT, "%nThe probe's yardstick drifted: %d of %d runs' own capacities (%.0f–%.0f/s) "
                        + "lie outside its bracket (%.0f–%.0f/s; %d above, %d below), so the machine ran at another "
                        + "speed than during the probe. Judge the modes by the own columns.%n", above + below,
                read.size(), read.get(0), read.get(read.size() - 1), bracket[0], bracket[1], above, below);
    }

    /** The limits of the scenario at the probe's capacity, for the line above the second table. */
    private static String limitLine(RunData d) {
        Limit l = Limit.of(d.scenario, d.capacity());
        double[] bracket = d.capacityBracket();
        return String.format(Locale.ROOT, "probe capacity %.0f/s%s: backlog at spike end %s records, T* %s s, "
                        + "minimum loss %s records; own = the same from the run's own capacity (its batches that took "
                        + "about the interval; \"> not kept up\": above the probe's first step that did not keep up)",
                d.capacity(),
                Double.isNaN(bracket[0]) ? "" : String.format(Locale.ROOT, ", bracket %.0f–%s/s", bracket[0],
                        num(bracket[1], 0)), num(l.backlogAtSpikeEnd(), 0), num(l.tStarS(), 0),
                num(l.minLoss(), 0));
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return "never";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String describe(RunData d) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Measured capacity %.0f records/s at cost %d; batch interval %.1f s; "
                + "load %.0f s. Phases: ", d.capacity(), Figures.PROBE_COST, d.batchS, d.loadEndT()));
        List<String> phases = new ArrayList<>();
        for (int i = 0; i < d.scenario.phaseCount(); i++) {
            Phase p = d.scenario.phase(i);
            phases.add(String.format(Locale.ROOT, "`%s` (%.0f–%.0f s, %.0f→%.0f rec/s)", p.toLine(),
                    d.scenario.phaseStartMs(i) / 1000.0, d.scenario.phaseEndMs(i) / 1000.0,
                    d.scenario.rateAt(d.scenario.phaseStartMs(i)),
                    d.scenario.rateAt(d.scenario.phaseEndMs(i) - 1)));
        }
        sb.append(String.join(", ", phases)).append('.');
        int spike = Figures.spikePhase(d.scenario);
        if (spike >= 0) {
            sb.append(String.format(Locale.ROOT, " Spike: %.0f–%.0f s.", d.scenario.phaseStartMs(spike) / 1000.0,
                    d.scenario.phaseEndMs(spike) / 1000.0));
        }
        return sb.toString();
    }
}
