package dev.sluice.sql.driver;

import java.util.function.Function;

/**
 * What one query run aims at, from its trigger and the configuration: the batch duration it targets and the most rows a
 * source may admit per trigger. Keys (declared with their documentation in the agent's {@code ConfigKeys}):
 * <ul>
 * <li>{@code sluice.sql.defaultTriggerTarget} (default 1s): the target of a query with the default trigger
 * ({@code ProcessingTime(0)}, batches back to back), which has no interval of its own;</li>
 * <li>{@code sluice.sql.targetShare} (default 1.0), overridden per query by {@code sluice.query.<name>.targetShare}:
 * the share of the trigger interval (or of the default trigger's target) a batch is sized to take;</li>
 * <li>{@code sluice.query.<name>.maxRowsPerTrigger}: a ceiling per source and trigger (rows; for a file source the
 * rows its file limit stands for), below the source's own {@code maxOffsetsPerTrigger};</li>
 * <li>{@code sluice.query.<name>.enabled=false}: the query is left alone.</li>
 * </ul>
 * Per-query keys use the query's name ({@code queryName(...)}, {@code .name(...)}); an unnamed query has none. Values
 * were validated when the configuration was read, so a value that still does not parse falls back to the default.
 */
public final class QueryOptions {

    public static final String DEFAULT_TRIGGER_TARGET_KEY = "sluice.sql.defaultTriggerTarget";
    public static final String TARGET_SHARE_KEY = "sluice.sql.targetShare";
    public static final long DEFAULT_TRIGGER_TARGET_MS = 1000;
    public static final String QUERY_PREFIX = "sluice.query.";
    public static final String ENABLED = "enabled";
    public static final String TARGET_SHARE = "targetShare";
    public static final String MAX_ROWS_PER_TRIGGER = "maxRowsPerTrigger";

    /** The trigger interval, 0 for the default trigger. */
    public final long triggerMs;
    /** The batch duration aimed at: the estimator's batch interval; rows per trigger = bound × target. */
    public final long targetMs;
    /** Rows per source and trigger at most; {@link RowLimit#NO_CAP} when unset. */
    public final long maxRowsPerTrigger;

    QueryOptions(long triggerMs, long targetMs, long maxRowsPerTrigger) {
        this.triggerMs = triggerMs;
        this.targetMs = targetMs;
        this.maxRowsPerTrigger = maxRowsPerTrigger;
    }

    /** A processing-time trigger of {@code intervalMs} aimed at in full, no ceiling. */
    public static QueryOptions ofInterval(long intervalMs) {
        return new QueryOptions(intervalMs, intervalMs, RowLimit.NO_CAP);
    }

    /** {@code sluice.query.<name>.<suffix>}. */
    public static String queryKey(String queryName, String suffix) {
        return QUERY_PREFIX + queryName + "." + suffix;
    }

    /** Whether the configuration leaves the query of this name alone ({@code sluice.query.<name>.enabled=false}). */
    public static boolean disabled(String queryName, Function<String, String> settings) {
        return queryName != null && "false".equalsIgnoreCase(trimmed(settings.apply(queryKey(queryName, ENABLED))));
    }

    /**
     * @param queryName  the query's name, null when unnamed (no per-query keys then)
     * @param triggerMs  the processing-time trigger's interval, 0 for the default trigger
     * @param settings   the configuration: key → value, null when unset
     */
    public static QueryOptions resolve(String queryName, long triggerMs, Function<String, String> settings) {
        long base = triggerMs > 0 ? triggerMs : durationMs(settings.apply(DEFAULT_TRIGGER_TARGET_KEY),
                DEFAULT_TRIGGER_TARGET_MS);
        double share = share(settings.apply(TARGET_SHARE_KEY), 1.0);
        long cap = RowLimit.NO_CAP;
        if (queryName != null) {
            share = share(settings.apply(queryKey(queryName, TARGET_SHARE)), share);
            String max = trimmed(settings.apply(queryKey(queryName, MAX_ROWS_PER_TRIGGER)));
            if (max != null) {
                try {
                    cap = Math.max(1, Long.parseLong(max));
                } catch (NumberFormatException e) {
                    cap = RowLimit.NO_CAP;
                }
            }
        }
        return new QueryOptions(triggerMs, Math.max(1, Math.round(base * share)), cap);
    }

    private static double share(String raw, double fallback) {
        String v = trimmed(raw);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            return d > 0 && d <= 1 ? d : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long durationMs(String raw, long fallback) {
        String v = trimmed(raw);
        Long ms = v == null ? null : dev.sluice.runtime.RuntimeSettings.parseDurationMs(v);
        return ms == null || ms <= 0 ? fallback : ms;
    }

    private static String trimmed(String s) {
        return s == null || s.trim().isEmpty() ? null : s.trim();
    }

    /** How the log and the summary line describe the aim: "2000 ms trigger" or "default trigger, target 1000 ms". */
    public String describe() {
        String trigger = triggerMs > 0 ? triggerMs + " ms trigger" : "default trigger";
        String target = targetMs == triggerMs ? "" : ", target " + targetMs + " ms";
        return trigger + target + (maxRowsPerTrigger == RowLimit.NO_CAP ? "" : ", at most " + maxRowsPerTrigger
                + " rows per trigger (sluice.query.<name>." + MAX_ROWS_PER_TRIGGER + ")");
    }
}
