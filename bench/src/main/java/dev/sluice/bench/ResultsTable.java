package dev.sluice.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Prints JMH JSON results ({@code -rf json}) as the Markdown table of docs/performance.md and the README: one row per
 * benchmark, configuration (agent or not, strategy, bound) and mode, with ns/record ± JMH's 99.9 % error, the
 * difference to the uninstrumented run of the same benchmark, and bytes/record ({@code gc.alloc.rate.norm}, present
 * when the run used {@code -prof gc}).
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.sluice.bench.ResultsTable result.json...}
 */
public final class ResultsTable {

    private ResultsTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ResultsTable <jmh-result.json>...");
            System.exit(2);
        }
        List<Row> rows = new ArrayList<>();
        for (String file : args) {
            try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                rows.addAll(parse(JsonParser.parseReader(reader)));
            }
        }
        rows.sort(READING_ORDER);
        System.out.print(markdown(rows));
    }

    private static final List<String> BENCHMARK_ORDER =
            List.of("storeSingle", "storeIterator", "storeArrayBuffer");
    private static final List<String> STRATEGY_ORDER = List.of("", "throttle", "drop", "sample");

    /** Each benchmark's rows together: no agent first, then by strategy, then from no bound down to the tightest. */
    static final Comparator<Row> READING_ORDER = Comparator
            .comparingInt((Row r) -> rank(BENCHMARK_ORDER, r.benchmark().substring(r.benchmark().indexOf('.') + 1)))
            .thenComparing(Row::benchmark)
            .thenComparing(Row::agent)
            .thenComparingInt(r -> rank(STRATEGY_ORDER, r.strategy()))
            .thenComparing(Row::strategy)
            .thenComparingDouble(r -> "none".equals(r.bound()) ? Double.NEGATIVE_INFINITY : -parseOr(r.bound()));

    private static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }

    private static double parseOr(String bound) {
        try {
            return Double.parseDouble(bound);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** One JMH result. */
    record Row(String benchmark, String mode, String strategy, boolean agent, String bound, double score,
               double error, String unit, Double bytesPerOp, Double cpuPerOp, Double cpuShare, Double threadBytesPerOp) {

        Row(String benchmark, String mode, String strategy, boolean agent, String bound, double score, double error,
            String unit, Double bytesPerOp) {
            this(benchmark, mode, strategy, agent, bound, score, error, unit, bytesPerOp, null, null, null);
        }
    }

    static List<Row> parse(JsonElement json) {
        List<Row> rows = new ArrayList<>();
        JsonArray results = json.getAsJsonArray();
        for (JsonElement element : results) {
            JsonObject result = element.getAsJsonObject();
            String benchmark = result.get("benchmark").getAsString();
            benchmark = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
            List<String> jvmArgs = new ArrayList<>();
            if (result.has("jvmArgs")) {
                for (JsonElement arg : result.getAsJsonArray("jvmArgs")) {
                    jvmArgs.add(arg.getAsString());
                }
            }
            String agentArgs = BenchConfig.agentArgs(jvmArgs);
            String strategy = agentArgs == null ? "" : new BenchConfig(agentArgs, null).strategy();
            String bound = "none";
            if (result.has("params") && result.getAsJsonObject("params").has("bound")) {
                bound = result.getAsJsonObject("params").get("bound").getAsString();
            }
            JsonObject primary = result.getAsJsonObject("primaryMetric");
            JsonObject secondary = result.getAsJsonObject("secondaryMetrics");
            rows.add(new Row(benchmark, result.get("mode").getAsString(), strategy, agentArgs != null, bound,
                    primary.get("score").getAsDouble(), number(primary.get("scoreError")),
                    primary.get("scoreUnit").getAsString(),
                    // "gc.alloc.rate.norm" since JMH 1.36, "·gc.alloc.rate.norm" before.
                    secondaryScore(secondary, "gc.alloc.rate.norm"), secondaryScore(secondary, "cpu.time.norm"),
                    secondaryScore(secondary, "cpu.share"), secondaryScore(secondary, "alloc.thread.norm")));
        }
        return rows;
    }

    private static Double secondaryScore(JsonObject secondary, String name) {
        if (secondary == null) {
            return null;
        }
        for (String key : new String[] {name, "·" + name}) {
            if (secondary.has(key)) {
                double v = number(secondary.getAsJsonObject(key).get("score"));
                return Double.isNaN(v) ? null : v;
            }
        }
        return null;
    }

    /** JMH writes "NaN" (a string) for the error of a single iteration. */
    private static double number(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return Double.NaN;
        }
        try {
            return element.getAsDouble();
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The table. Columns after the wall-clock score come from {@link CpuTimeProfiler} when the run used it: CPU time of
     * the storing thread per record (and its difference to no agent), the share of wall time that thread was on a CPU
     * (1.00 = undisturbed; well below 1 = figures taken under load), and the bytes that thread allocated per record.
     */
    static String markdown(List<Row> rows) {
        boolean cpu = rows.stream().anyMatch(r -> r.cpuPerOp() != null);
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | agent | strategy | bound (records/s) | mode | ns/record ± error | vs. no agent (ns)");
        out.append(cpu ? " | CPU ns/record | CPU vs. no agent (ns) | on-CPU |" : " |");
        out.append(" B/record (JVM) |");
        out.append(cpu ? " B/record (storing thread) |\n" : "\n");
        out.append("|---|---|---|---:|---|---:|---:|").append(cpu ? "---:|---:|---:|" : "").append("---:|")
                .append(cpu ? "---:|\n" : "\n");
        for (Row row : rows) {
            Row baseline = baselineOf(row, rows);
            boolean compare = baseline != null && baseline != row;
            out.append("| ").append(row.benchmark())
                    .append(" | ").append(row.agent() ? "yes" : "no")
                    .append(" | ").append(row.agent() ? row.strategy() : "")
                    .append(" | ").append(boundText(row.bound()))
                    .append(" | ").append(row.mode())
                    .append(" | ").append(scoreText(row))
                    .append(" | ").append(compare ? signed(row.score() - baseline.score()) : "");
            if (cpu) {
                out.append(" | ").append(fixed(row.cpuPerOp(), "%.2f"))
                        .append(" | ").append(compare && row.cpuPerOp() != null && baseline.cpuPerOp() != null
                                ? signed(row.cpuPerOp() - baseline.cpuPerOp()) : "")
                        .append(" | ").append(fixed(row.cpuShare(), "%.2f"));
            }
            out.append(" | ").append(fixed(row.bytesPerOp(), "%.3f"));
            if (cpu) {
                out.append(" | ").append(fixed(row.threadBytesPerOp(), "%.3f"));
            }
            out.append(" |\n");
        }
        return out.toString();
    }

    private static String signed(double value) {
        return String.format(Locale.ROOT, "%+.2f", value);
    }

    private static String fixed(Double value, String format) {
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    /** The uninstrumented run of the same benchmark: same bound if there is one, else any. */
    private static Row baselineOf(Row row, List<Row> rows) {
        Row any = null;
        for (Row candidate : rows) {
            if (!candidate.agent() && candidate.benchmark().equals(row.benchmark()) && candidate.mode().equals(row.mode())
                    && candidate.unit().equals(row.unit())) {
                if (candidate.bound().equals(row.bound())) {
                    return candidate;
                }
                if (any == null) {
                    any = candidate;
                }
            }
        }
        return any;
    }

    private static String scoreText(Row row) {
        String unit = row.unit().equals("ns/op") ? "" : " " + row.unit();
        if (Double.isNaN(row.error())) {
            return String.format(Locale.ROOT, "%.2f%s", row.score(), unit);
        }
        return String.format(Locale.ROOT, "%.2f ± %.2f%s", row.score(), row.error(), unit);
    }

    /** 1000000000 → 1e9, for a readable table. */
    static String boundText(String bound) {
        if ("none".equals(bound)) {
            return "none";
        }
        try {
            long value = Long.parseLong(bound);
            int exponent = 0;
            long mantissa = value;
            while (mantissa >= 10 && mantissa % 10 == 0) {
                mantissa /= 10;
                exponent++;
            }
            return exponent >= 3 ? mantissa + "e" + exponent : bound;
        } catch (NumberFormatException e) {
            return bound;
        }
    }
}
