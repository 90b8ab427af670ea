package dev.sluice.testbed.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * With {@code --repeat N} each mode ran N times: per mode, the median and the spread (min–max) of the figures that
 * decide a comparison, so a difference between modes can be told from the machine's own variation.
 */
final class Repeats {

    static final List<String> COLUMNS = List.of("mode", "runs", "goodput (÷ capacity)", "steady sched. delay (s)",
            "data age p95 (s)", "to steady from start (batches)", "to recover after spike (s)", "to recover ÷ T* (probe)",
            "lost ÷ min loss (probe)", "lost before overload (probe)", "lost from overload ÷ min loss (probe)",
            "lost after spike");

    private Repeats() {
    }

    /** The table, or "" when no mode ran more than once. */
    static String table(List<RunData> runs, List<Figures> figures) {
        Map<String, List<Integer>> byMode = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            byMode.computeIfAbsent(runs.get(i).mode, k -> new ArrayList<>()).add(i);
        }
        if (byMode.values().stream().allMatch(l -> l.size() < 2)) {
            return "";
        }
        List<List<String>> rows = new ArrayList<>();
        byMode.forEach((mode, idx) -> {
            List<Figures> fs = idx.stream().map(figures::get).toList();
            rows.add(List.of(mode, Integer.toString(fs.size()), spread(fs, f -> f.goodput, 2),
                    spread(fs, f -> f.steadySchedulingDelayS, 2), spread(fs, f -> f.age.p95S(), 1),
                    spread(fs, f -> f.batchesToSteadyFromStart >= 0 ? f.batchesToSteadyFromStart
                            : Double.isInfinite(f.timeToSteadyFromStartS) ? Double.POSITIVE_INFINITY : Double.NaN, 0),
                    spread(fs, f -> f.timeToRecoverAfterSpikeS, 0),
                    spread(fs, f -> f.timeToRecoverAfterSpikeS / f.probeLimit.tStarS(), 2),
                    spread(fs, f -> f.recordsLost() / f.probeLimit.minLoss(), 2),
                    spread(fs, f -> Double.isNaN(f.probeLimit.overloadFromS()) ? Double.NaN
                            : f.lostBeforeOverloadProbe, 0),
                    spread(fs, f -> f.lostFromOverloadProbe() / f.probeLimit.minLoss(), 2),
                    spread(fs, f -> f.lostAfterSpike, 0)));
        });
        return ReportWriter.table(COLUMNS, rows);
    }

    /** "median (min–max)" over the values that are numbers; infinite values (never) sort last. */
    static String spread(List<Figures> fs, ToDoubleFunction<Figures> figure, int decimals) {
        double[] v = fs.stream().mapToDouble(figure).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (v.length == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%s (%s–%s)", ReportWriter.num(median(v), decimals),
                ReportWriter.num(v[0], decimals), ReportWriter.num(v[v.length - 1], decimals));
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
