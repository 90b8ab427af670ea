package dev.sluice.testbed.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How one run handles overload. Names are what {@code --modes} accepts. */
public enum Mode {
    STOCK("stock", null, "no back-pressure"),
    SPARK("spark", null, "spark.streaming.backpressure.enabled=true (Spark's PID)"),
    /**
     * Spark's back-pressure as a careful user tunes it: initialRate and receiver.maxRate both set to the measured
     * capacity ÷ the receivers (both settings are per receiver), so its PID starts at, and never plans beyond, what
     * the job sustains. Spark's limiter governs {@code store(single)} only: with {@code --streams socket} this is the
     * fairest Spark row.
     */
    SPARK_TUNED("spark-tuned", null, "Spark's back-pressure, initialRate = receiver.maxRate = capacity / receivers"),
    SLUICE_THROTTLE("sluice-throttle", "throttle", "Sluice agent, strategy throttle"),
    SLUICE_DROP("sluice-drop", "drop", "Sluice agent, strategy drop"),
    SLUICE_SAMPLE("sluice-sample", "sample", "Sluice agent, strategy sample"),
    REACTIVE("reactive", "throttle", "Sluice's reactive receiver (demand = bound) with the agent; source drops"),
    /** For the burst comparison (issue 5): the same strategies with the executor memory guard switched off. */
    SLUICE_THROTTLE_NO_GUARD("sluice-throttle-noguard", "throttle", "Sluice agent, strategy throttle, memory guard off",
            "sluice.guard.enabled=false"),
    SLUICE_DROP_NO_GUARD("sluice-drop-noguard", "drop", "Sluice agent, strategy drop, memory guard off",
            "sluice.guard.enabled=false"),
    /**
     * Sluice's enforcement driven by Spark's own PID (a bit-for-bit port) instead of the adaptive estimator: the same
     * hooks on every store overload of both receivers, so against the plain modes only the estimator differs. Mode
     * {@code spark} also differs in enforcement (Spark's limiter leaves bulk stores unchecked).
     */
    SLUICE_THROTTLE_PID("sluice-throttle-pid", "throttle", "Sluice agent, strategy throttle, Spark's PID as estimator",
            "sluice.estimator=pid"),
    SLUICE_DROP_PID("sluice-drop-pid", "drop", "Sluice agent, strategy drop, Spark's PID as estimator",
            "sluice.estimator=pid");

    public final String id;
    /** The Sluice strategy, or null when the mode runs without the agent. */
    public final String strategy;
    public final String description;
    /** Further agent configuration lines for this mode ("" for none). */
    public final String extraConfig;

    Mode(String id, String strategy, String description) {
        this(id, strategy, description, "");
    }

    Mode(String id, String strategy, String description, String extraConfig) {
        this.id = id;
        this.strategy = strategy;
        this.description = description;
        this.extraConfig = extraConfig;
    }

    public boolean usesAgent() {
        return strategy != null;
    }

    /** The modes a default run compares (every mode that exists today). */
    public static List<Mode> defaults() {
        return List.of(STOCK, SPARK, SLUICE_THROTTLE, SLUICE_DROP, SLUICE_SAMPLE, REACTIVE);
    }

    public static Mode of(String id) {
        for (Mode m : values()) {
            if (m.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        List<String> names = new ArrayList<>();
        for (Mode m : values()) {
            names.add(m.id);
        }
        throw new IllegalArgumentException("unknown mode '" + id.trim() + "'; known modes: " + String.join(", ", names)
                + " (or 'all')");
    }

    /** Parses {@code stock,sluice-drop} or {@code all}. */
    public static List<Mode> parseList(String csv) {
        if (csv == null || csv.isBlank() || csv.trim().equalsIgnoreCase("all")) {
            return defaults();
        }
        List<Mode> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                Mode m = of(s);
                if (!out.contains(m)) {
                    out.add(m);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--modes lists no mode");
        }
        return out;
    }
}
