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

    /** Milliseconds from "10s", "500ms", "2m" or a bare number of seconds. */
    public long getDurationMs(String key, long defaultMs) {
        String v = get(key, null);
        if (v == null) {
            return defaultMs;
        }
        Long ms = parseDurationMs(v);
        return ms == null ? defaultMs : ms;
    }

    /** Parses "10s", "500ms", "2m", "1h" or a bare number (seconds); null when it is none of these. */
    public static Long parseDurationMs(String raw) {
        String v = raw.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1000;
        String digits = v;
        if (v.endsWith("ms")) {
            unit = 1;
            digits = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 60_000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            unit = 3_600_000;
            digits = v.substring(0, v.length() - 1);
        }
        try {
            double n = Double.parseDouble(digits.trim());
            if (n < 0 || Double.isNaN(n) || Double.isInfinite(n)) {
                return null;
            }
            return (long) (n * unit);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The strategy of a stream: {@code sluice.stream.<id>.strategy}, else {@code sluice.strategy}, else throttle. */
    public String strategyOf(int streamId) {
        return get("sluice.stream." + streamId + ".strategy", get("sluice.strategy", "throttle"));
    }

    /** A strategy parameter: per-stream first, then global. */
    public String strategyParameter(int streamId, String name, String defaultValue) {
        return get("sluice.stream." + streamId + ".strategy." + name, get("sluice.strategy." + name, defaultValue));
    }
}
