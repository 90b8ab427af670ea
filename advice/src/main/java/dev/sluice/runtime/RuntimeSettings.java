package dev.sluice.runtime;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's resolved configuration as the runtime sees it: every key already validated by the agent (so lookups here
 * never fail on bad input), plus the defaults for keys the user did not set. Immutable.
 */
public final class RuntimeSettings {

    private final Map<String, String> values;

    public RuntimeSettings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new HashMap<String, String>(values));
    }

    public static RuntimeSettings empty() {
        return new RuntimeSettings(Collections.<String, String>emptyMap());
    }

    public Map<String, String> asMap() {
        return values;
    }

    public String get(String key, String defaultValue) {
        String v = values.get(key);
        return v == null || v.trim().isEmpty() ? defaultValue : v.trim();
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = get(key, null);
        return v == null ? defaultValue : Boolean.parseBoolean(v);
    }

    public double getDouble(String key, double defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    public long getLong(String key, long defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return (long) getDouble(key, defaultValue);
        }
    }

    /** Milliseconds from a duration in Spark's syntax ("10s", "500ms", "2min", or a bare number of milliseconds). */
    public long getDurationMs(String key, long defaultMs) {
        String v = get(key, null);
        if (v == null) {
            return defaultMs;
        }
        Long ms = parseDurationMs(v);
        return ms == null ? defaultMs : ms;
    }

    /**
     * Parses a duration as Spark's {@code SparkConf.getTimeAsMs} does: a whole number with an optional unit (us, ms, s,
     * m or min, h, d; case-insensitive); a bare number means milliseconds. Null when it is none of these: a fraction
     * ("1.5s", "0.5") is refused rather than rounded, as Spark refuses it.
     */
    public static Long parseDurationMs(String raw) {
        java.util.regex.Matcher m = DURATION.matcher(raw.trim().toLowerCase(java.util.Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2);
        long perUnitMicros = unit == null || unit.equals("ms") ? 1000L
                : unit.equals("us") ? 1L
                : unit.equals("s") ? 1000_000L
                : unit.equals("m") || unit.equals("min") ? 60_000_000L
                : unit.equals("h") ? 3_600_000_000L
                : 86_400_000_000L;
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE / perUnitMicros) {
                return null;
            }
            return n * perUnitMicros / 1000L;
        } catch (NumberFormatException tooLarge) {
            return null;
        }
    }

    private static final java.util.regex.Pattern DURATION =
            java.util.regex.Pattern.compile("([0-9]+)(us|ms|s|m|min|h|d)?");

    /** The strategy of a stream: {@code sluice.stream.<id>.strategy}, else {@code sluice.strategy}, else throttle. */
    public String strategyOf(int streamId) {
        return get("sluice.stream." + streamId + ".strategy", get("sluice.strategy", "throttle"));
    }

    /** A strategy parameter: per-stream first, then global. */
    public String strategyParameter(int streamId, String name, String defaultValue) {
        return get("sluice.stream." + streamId + ".strategy." + name, get("sluice.strategy." + name, defaultValue));
    }
}
