package dev.sluice.testbed.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the scenario text format (documented in docs/testbed.md):
 *
 * <pre>
 * # comment; blank lines are ignored
 * idle 2s
 * ramp 30s 1000 -> 50000 cost 7
 * hold 300s 5x cost 8
 * hold 60s 2x neighbour
 * </pre>
 *
 * Durations: {@code 500ms}, {@code 2s}, {@code 1.5m}. Rates: records/s ({@code 50000}, {@code 50000/s}, {@code 20k})
 * or a multiple of the measured capacity ({@code 5x}, {@code 0.7x}). {@code cost N} is optional (default: the
 * previous phase's cost, 7 for the first).
 */
public final class ScenarioParser {

    public static final int DEFAULT_COST = 7;
    /** Last word of a phase line: a CPU-heavy process runs beside the cluster during the phase. */
    public static final String NEIGHBOUR = "neighbour";

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(x|k|k/s|/s)?");
    private static final String IDLE_FORM = "'idle <duration> [neighbour]'";
    private static final String RAMP_FORM = "'ramp <duration> <rate> -> <rate> [cost <n>] [neighbour]'";
    private static final String HOLD_FORM = "'hold <duration> <rate> [cost <n>] [neighbour]'";
    private static final String BACKLOG_FORM = "'backlog <duration>' (records waiting at the start: that long of the"
            + " measured capacity; once, before the phases)";
    private static final String COLD_FORM = "'cold' (the streams start on executors that have run nothing yet: no JIT"
            + " warm-up; once, before the phases)";

    private ScenarioParser() {
    }

    /**
     * @param name   scenario name
     * @param source where the text came from, for error messages (file name)
     */
    public static Scenario parse(String name, String source, String text) {
        List<Phase> phases = new ArrayList<>();
        int cost = DEFAULT_COST;
        long backlogMs = 0;
        boolean cold = false;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash);
            }
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] t = line.split("\\s+");
            String keyword = t[0].toLowerCase(Locale.ROOT);
            boolean neighbour = t.length > 1 && t[t.length - 1].equalsIgnoreCase(NEIGHBOUR);
            if (neighbour) {
                t = Arrays.copyOf(t, t.length - 1);
            }
            if (keyword.equals("backlog")) {
                if (t.length != 2 || !phases.isEmpty() || backlogMs > 0) {
                    throw error(source, lineNo, "expected " + BACKLOG_FORM + ", got '" + line + "'");
                }
                backlogMs = duration(source, lineNo, t[1]);
                continue;
            }
            if (keyword.equals("cold")) {
                if (t.length != 1 || !phases.isEmpty() || cold) {
                    throw error(source, lineNo, "expected " + COLD_FORM + ", got '" + line + "'");
                }
                cold = true;
                continue;
            }
            Phase phase;
            switch (keyword) {
                case "idle" -> {
                    if (t.length != 2) {
                        throw error(source, lineNo, "expected " + IDLE_FORM + ", got '" + line + "'");
                    }
                    phase = Phase.idle(duration(source, lineNo, t[1]), cost);
                }
                case "ramp" -> {
                    if (t.length != 5 && t.length != 7 || !t[3].equals("->")) {
                        throw error(source, lineNo, "expected " + RAMP_FORM + ", got '" + line + "'");
                    }
                    cost = t.length == 7 ? cost(source, lineNo, t[5], t[6]) : cost;
                    phase = Phase.ramp(duration(source, lineNo, t[1]), rate(source, lineNo, t[2]),
                            rate(source, lineNo, t[4]), cost);
                }
                case "hold" -> {
                    if (t.length != 3 && t.length != 5) {
                        throw error(source, lineNo, "expected " + HOLD_FORM + ", got '" + line + "'");
                    }
                    cost = t.length == 5 ? cost(source, lineNo, t[3], t[4]) : cost;
                    phase = Phase.hold(duration(source, lineNo, t[1]), rate(source, lineNo, t[2]), cost);
                }
                default -> throw error(source, lineNo, "unknown phase '" + t[0] + "'; expected one of "
                        + IDLE_FORM + ", " + RAMP_FORM + ", " + HOLD_FORM + ", " + BACKLOG_FORM + ", " + COLD_FORM);
            }
            phases.add(neighbour ? phase.withNeighbour() : phase);
        }
        if (phases.isEmpty()) {
            throw new ScenarioFormatException(source, 0, "no phases; expected lines like " + IDLE_FORM + ", "
                    + RAMP_FORM + " or " + HOLD_FORM);
        }
        return new Scenario(name, phases, backlogMs, cold);
    }

    static long duration(String source, int line, String token) {
        Matcher m = DURATION.matcher(token.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw error(source, line, "expected a duration like 500ms, 2s or 1.5m, got '" + token + "'");
        }
        double v = Double.parseDouble(m.group(1));
        double ms = switch (m.group(2)) {
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
        long rounded = Math.round(ms);
        if (rounded <= 0) {
            throw error(source, line, "a phase must last more than 0 ms, got '" + token + "'");
        }
        return rounded;
    }

    static Rate rate(String source, int line, String token) {
        Matcher m = RATE.matcher(token.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw error(source, line, "expected a rate like 5000, 5000/s, 20k or 5x (times the measured capacity),"
                    + " got '" + token + "'");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        if ("x".equals(unit)) {
            return Rate.timesCapacity(v);
        }
        if (unit != null && unit.startsWith("k")) {
            v *= 1000;
        }
        return Rate.absolute(v);
    }

    static int cost(String source, int line, String keyword, String value) {
        if (!keyword.equalsIgnoreCase("cost")) {
            throw error(source, line, "expected 'cost <n>' after the rate, got '" + keyword + " " + value + "'");
        }
        try {
            int c = Integer.parseInt(value);
            if (c < 0 || c > Phase.MAX_COST) {
                throw error(source, line, "cost must be an integer within 0.." + Phase.MAX_COST + ", got '"
                        + value + "'");
            }
            return c;
        } catch (NumberFormatException e) {
            throw error(source, line, "cost must be an integer within 0.." + Phase.MAX_COST + ", got '" + value
                    + "'");
        }
    }

    static String formatDuration(long ms) {
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static ScenarioFormatException error(String source, int line, String message) {
        return new ScenarioFormatException(source, line, message);
    }
}
