package dev.sluice.testbed.scenario;

import java.util.List;

/**
 * A scenario with absolute rates: the offered rate, the cost and the phase at any offset from its start, and the
 * exact number of records due by an offset (the integral of the rate), which the generator paces against.
 */
public final class ResolvedScenario {

    private final Scenario scenario;
    private final double capacity;
    private final long[] startMs;
    private final double[] fromRate;
    private final double[] toRate;
    private final double[] recordsBefore;

    ResolvedScenario(Scenario scenario, double capacity) {
        this.scenario = scenario;
        this.capacity = capacity;
        List<Phase> phases = scenario.phases();
        int n = phases.size();
        startMs = new long[n + 1];
        fromRate = new double[n];
        toRate = new double[n];
        recordsBefore = new double[n + 1];
        for (int i = 0; i < n; i++) {
            Phase p = phases.get(i);
            fromRate[i] = p.from().resolve(capacity);
            toRate[i] = p.to().resolve(capacity);
            startMs[i + 1] = startMs[i] + p.durationMs();
            recordsBefore[i + 1] = recordsBefore[i] + (fromRate[i] + toRate[i]) / 2 * p.durationMs() / 1000.0;
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    /** Records waiting in the source at the start: the scenario's backlog of the measured capacity. */
    public long backlogRecords() {
        return Math.round(scenario.backlogMs() / 1000.0 * capacity);
    }

    /** Capacity (records/s) the multiples were resolved against; 0 when none was needed or known. */
    public double capacity() {
        return capacity;
    }

    public long durationMs() {
        return startMs[startMs.length - 1];
    }

    public int phaseCount() {
        return fromRate.length;
    }

    public Phase phase(int i) {
        return scenario.phases().get(i);
    }

    public long phaseStartMs(int i) {
        return startMs[i];
    }

    public long phaseEndMs(int i) {
        return startMs[i + 1];
    }

    /** Index of the phase at {@code offsetMs}; the last phase for offsets at or past the end; 0 before 0. */
    public int phaseIndexAt(long offsetMs) {
        for (int i = 0; i < fromRate.length; i++) {
            if (offsetMs < startMs[i + 1]) {
                return i;
            }
        }
        return fromRate.length - 1;
    }

    /** Whether a CPU-heavy neighbour runs at {@code offsetMs}: its phase says so (never before 0 or after the end). */
    public boolean neighbourAt(long offsetMs) {
        return offsetMs >= 0 && offsetMs < durationMs() && phase(phaseIndexAt(offsetMs)).neighbour();
    }

    /** Offered records/s at {@code offsetMs}; 0 before the start and after the end. */
    public double rateAt(long offsetMs) {
        if (offsetMs < 0 || offsetMs >= durationMs()) {
            return 0;
        }
        int i = phaseIndexAt(offsetMs);
        double f = (offsetMs - startMs[i]) / (double) (startMs[i + 1] - startMs[i]);
        return fromRate[i] + (toRate[i] - fromRate[i]) * f;
    }

    public int costAt(long offsetMs) {
        return phase(phaseIndexAt(Math.max(0, offsetMs))).cost();
    }

    /** Records due from the start up to {@code offsetMs} (exact integral of the piecewise-linear rate). */
    public double recordsDue(double offsetMs) {
        if (offsetMs <= 0) {
            return 0;
        }
        if (offsetMs >= durationMs()) {
            return recordsBefore[recordsBefore.length - 1];
        }
        int i = phaseIndexAt((long) offsetMs);
        double t = (offsetMs - startMs[i]) / 1000.0;
        double len = (startMs[i + 1] - startMs[i]) / 1000.0;
        double slope = (toRate[i] - fromRate[i]) / len;
        return recordsBefore[i] + fromRate[i] * t + slope * t * t / 2;
    }

    public double totalRecords() {
        return recordsBefore[recordsBefore.length - 1];
    }
}
