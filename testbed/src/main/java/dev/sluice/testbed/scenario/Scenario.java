package dev.sluice.testbed.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A load scenario: a name and a sequence of phases. Rates may be multiples of the measured capacity until
 * {@link #resolve(double)} turns them into records/s. Build one with {@link #builder(String)} or parse the text
 * format with {@link ScenarioParser}.
 */
public record Scenario(String name, List<Phase> phases, long backlogMs, boolean cold) {

    /** The probe scenario that measures the job's capacity (run in stock mode, result cached). */
    public static final String CAPACITY_PROBE = "capacity";

    /**
     * @param backlogMs records already waiting in the source when the scenario starts, as milliseconds of the measured
     *                  capacity (0: none). Only a source that holds records (Kafka) can have one; scaled with the
     *                  phases.
     * @param cold      the streams start on executors that have run nothing yet (no JIT warm-up before them), as a
     *                  user's job starts
     */
    public Scenario {
        Objects.requireNonNull(name, "name");
        if (backlogMs < 0) {
            throw new IllegalArgumentException("scenario '" + name + "': backlog must be >= 0, got " + backlogMs
                    + " ms");
        }
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("scenario '" + name + "' has no phases");
        }
    }

    public Scenario(String name, List<Phase> phases, long backlogMs) {
        this(name, phases, backlogMs, false);
    }

    public Scenario(String name, List<Phase> phases) {
        this(name, phases, 0);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public boolean isCapacityProbe() {
        return CAPACITY_PROBE.equals(name);
    }

    public long durationMs() {
        long total = 0;
        for (Phase p : phases) {
            total += p.durationMs();
        }
        return total;
    }

    /** Same scenario with every duration multiplied by {@code factor} (at least 1 ms per phase). */
    public Scenario scaled(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("time scale must be a number > 0, got " + factor);
        }
        List<Phase> out = new ArrayList<>();
        for (Phase p : phases) {
            out.add(p.withDuration(Math.max(1, Math.round(p.durationMs() * factor))));
        }
        return new Scenario(name, out, backlogMs == 0 ? 0 : Math.max(1, Math.round(backlogMs * factor)), cold);
    }

    public boolean usesCapacityMultiples() {
        if (backlogMs > 0) {
            return true;
        }
        for (Phase p : phases) {
            if (p.from().multipleOfCapacity() || p.to().multipleOfCapacity()) {
                return true;
            }
        }
        return false;
    }

    /** Absolute rates, given the measured capacity in records/s (ignored when no rate is a multiple). */
    public ResolvedScenario resolve(double capacity) {
        return new ResolvedScenario(this, capacity);
    }

    /** The text format; parses back to an equal scenario. */
    public String toText() {
        StringBuilder sb = new StringBuilder("# scenario ").append(name).append('\n');
        if (cold) {
            sb.append("cold\n");
        }
        if (backlogMs > 0) {
            sb.append("backlog ").append(ScenarioParser.formatDuration(backlogMs)).append('\n');
        }
        for (Phase p : phases) {
            sb.append(p.toLine()).append('\n');
        }
        return sb.toString();
    }

    public static final class Builder {
        private final String name;
        private final List<Phase> phases = new ArrayList<>();
        private int cost = ScenarioParser.DEFAULT_COST;
        private long backlogMs;
        private boolean cold;

        private Builder(String name) {
            this.name = name;
        }

        /** Records waiting at the start: {@code ms} of the measured capacity. */
        public Builder backlog(long ms) {
            backlogMs = ms;
            return this;
        }

        /** The streams start on executors that have run nothing yet. */
        public Builder cold() {
            cold = true;
            return this;
        }

        public Builder idle(long ms) {
            phases.add(Phase.idle(ms, cost));
            return this;
        }

        public Builder ramp(long ms, Rate from, Rate to, int cost) {
            phases.add(Phase.ramp(ms, from, to, cost));
            this.cost = cost;
            return this;
        }

        public Builder hold(long ms, Rate rate, int cost) {
            phases.add(Phase.hold(ms, rate, cost));
            this.cost = cost;
            return this;
        }

        public Scenario build() {
            return new Scenario(name, phases, backlogMs, cold);
        }
    }
}
