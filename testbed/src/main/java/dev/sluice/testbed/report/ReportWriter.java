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

    public static final List<String> COLUMNS = List.of("mode", "run", "steady sched. delay (s)",
            "peak sched. delay (s)", "to steady from start (s / batches)", "to steady after spike (s)",
            "to recover after spike (s)", "goodput (÷ capacity)", "steady rec/s socket / bulk", "overshoot", "oscillation (CV)",
            "peak heap after GC (MB)", "min free storage (MB)", "lost (Sluice + source)", "backlog at stop");

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
        StringBuilder csv = new StringBuilder("scenario," + String.join(",", COLUMNS).replace("÷", "/") + "\n");
        for (ScenarioRuns sr : scenarios) {
            if (sr.runs().isEmpty()) {
                continue;
            }
            RunData first = sr.runs().get(0);
            md.append("## Scenario `").append(sr.scenario()).append("`\n\n");
            md.append(describe(first)).append("\n\n");
            md.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
            md.append("|").append("---|".repeat(COLUMNS.size())).append("\n");
            for (RunData d : sr.runs()) {
                List<String> row = row(d, Figures.of(d));
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
                csv.append(sr.scenario()).append(',').append(String.join(",", row.stream()
                        .map(c -> c.replace(",", ";")).toList())).append('\n');
            }
            md.append('\n');
            List<Path> charts = List.of(Charts.freeMemory(out, sr.scenario(), sr.runs()),
                    Charts.heapAfterGc(out, sr.scenario(), sr.runs()), Charts.rates(out, sr.scenario(), sr.runs()),
                    Charts.schedulingDelay(out, sr.scenario(), sr.runs()), Charts.drops(out, sr.scenario(), sr.runs()));
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

    /** The table's cells for one mode. */
    public static List<String> row(RunData d, Figures f) {
        List<String> r = new ArrayList<>();
        r.add(d.mode);
        r.add(f.status);
        r.add(num(f.steadySchedulingDelayS, 2));
        r.add(num(f.peakSchedulingDelayS, 1));
        r.add(Double.isInfinite(f.timeToSteadyFromStartS) || Double.isNaN(f.timeToSteadyFromStartS)
                ? num(f.timeToSteadyFromStartS, 0) : num(f.timeToSteadyFromStartS, 0) + " / "
                + f.batchesToSteadyFromStart);
        r.add(num(f.timeToSteadyAfterSpikeS, 0));
        r.add(num(f.timeToRecoverAfterSpikeS, 0));
        r.add(num(f.goodput, 2));
        r.add(num(f.steadyRate0, 0) + " / " + num(f.steadyRate1, 0));
        r.add(Double.isNaN(f.overshoot) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", f.overshoot * 100));
        r.add(num(f.oscillation, 2));
        r.add(Double.isNaN(f.peakHeapAfterGcMb) ? "n/a" : String.format(Locale.ROOT, "%.0f of %.0f",
                f.peakHeapAfterGcMb, f.heapMaxMb));
        r.add(Double.isNaN(f.minFreeStorageMb) ? "n/a" : String.format(Locale.ROOT, "%.0f of %.0f",
                f.minFreeStorageMb, f.storageMaxMb));
        r.add(f.recordsLost() + " (" + f.sluiceDropped + " + " + f.sourceDropped + ")");
        r.add(Long.toString(f.backlogAtStop));
        return r;
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
