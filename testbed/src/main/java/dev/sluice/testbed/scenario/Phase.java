package dev.sluice.testbed.scenario;

import java.util.Objects;

/**
 * One phase of a scenario: {@code idle}, {@code ramp} (rate linear from {@code from} to {@code to}) or {@code hold}
 * (constant rate), lasting {@code durationMs}, with a per-record cost (the job's work doubles per cost step); with
 * {@code neighbour}, a CPU-heavy process runs beside the cluster on the same machine for the phase.
 */
public record Phase(Kind kind, long durationMs, Rate from, Rate to, int cost, boolean neighbour) {

    public enum Kind { IDLE, RAMP, HOLD }

    public static final int MAX_COST = 24;

    public Phase {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (durationMs <= 0) {
            throw new IllegalArgumentException("a phase must last more than 0 ms, got " + durationMs);
        }
        if (cost < 0 || cost > MAX_COST) {
            throw new IllegalArgumentException("cost must be within 0.." + MAX_COST + ", got " + cost);
        }
    }

    public Phase(Kind kind, long durationMs, Rate from, Rate to, int cost) {
        this(kind, durationMs, from, to, cost, false);
    }

    public static Phase idle(long durationMs, int cost) {
        return new Phase(Kind.IDLE, durationMs, Rate.ZERO, Rate.ZERO, cost);
    }

    public static Phase ramp(long durationMs, Rate from, Rate to, int cost) {
        return new Phase(Kind.RAMP, durationMs, from, to, cost);
    }

    public static Phase hold(long durationMs, Rate rate, int cost) {
        return new Phase(Kind.HOLD, durationMs, rate, rate, cost);
    }

    public Phase withDuration(long ms) {
        return new Phase(kind, ms, from, to, cost, neighbour);
    }

    /** The same phase with a CPU-heavy neighbour process running beside the cluster. */
    public Phase withNeighbour() {
        return new Phase(kind, durationMs, from, to, cost, true);
    }

    /** The line of the scenario format that parses back to this phase. */
    public String toLine() {
        String d = ScenarioParser.formatDuration(durationMs);
        String line = switch (kind) {
            case IDLE -> "idle " + d;
            case RAMP -> "ramp " + d + " " + from + " -> " + to + " cost " + cost;
            case HOLD -> "hold " + d + " " + from + " cost " + cost;
        };
        return neighbour ? line + " " + ScenarioParser.NEIGHBOUR : line;
    }
}
