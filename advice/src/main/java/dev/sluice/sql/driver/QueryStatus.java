package dev.sluice.sql.driver;

import java.util.Collections;
import java.util.List;

/**
 * What one governed query run shows at a moment, for the meters, the summary line and the CSV sink: immutable, made by
 * the query's stream thread after each planning and each fed batch, read by the metrics thread.
 */
public final class QueryStatus {

    /** The query's key in meter names: its name, else its id, reduced to letters, digits, '_' and '-'. */
    public final String key;
    /** "'name' (run id)", as the log lines say it. */
    public final String label;
    public final long triggerMs;
    public final long targetMs;
    /** The last batch fed (-1: none yet) and its duration in ms (-1: none yet). */
    public final long lastBatchId;
    public final long lastBatchDurationMs;
    public final List<Source> sources;

    QueryStatus(String key, String label, long triggerMs, long targetMs, long lastBatchId, long lastBatchDurationMs,
                List<Source> sources) {
        this.key = key;
        this.label = label;
        this.triggerMs = triggerMs;
        this.targetMs = targetMs;
        this.lastBatchId = lastBatchId;
        this.lastBatchDurationMs = lastBatchDurationMs;
        this.sources = Collections.unmodifiableList(sources);
    }

    /** One governed source of the query. */
    public static final class Source {
        /** {@code kafka<i>} or {@code files<i>}: the kind and its index among the query's governed sources of it. */
        public final String name;
        /** The source's own description, as progress names it. */
        public final String description;
        /** The unit of {@link #limit}: "rows" (Kafka) or "files". */
        public final String unit;
        /** The limit Sluice set at the last planning, in {@link #unit}. */
        public final long limit;
        /** Rows the last batch admitted: endOffset − startOffset for Kafka (numInputRows if unparsable), numInputRows for files; -1 before any. */
        public final long lastBatchAdmitted;
        /** Rows admitted by this run's batches so far. */
        public final long admitted;
        /** Rows behind the last batch's end where the source reports it (Kafka: latest − end offsets), else -1. */
        public final long backlog;

        Source(String name, String description, String unit, long limit, long lastBatchAdmitted, long admitted,
               long backlog) {
            this.name = name;
            this.description = description;
            this.unit = unit;
            this.limit = limit;
            this.lastBatchAdmitted = lastBatchAdmitted;
            this.admitted = admitted;
            this.backlog = backlog;
        }
    }

    /** Meter-safe form of a query name or id. */
    static String keyOf(String name, String id) {
        String raw = name == null || name.isEmpty() ? id : name;
        StringBuilder sb = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            sb.append(Character.isLetterOrDigit(c) || c == '_' || c == '-' ? c : '_');
        }
        return sb.toString();
    }
}
