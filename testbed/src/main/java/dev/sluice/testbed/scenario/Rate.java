package dev.sluice.testbed.scenario;

/**
 * A record rate in a scenario: absolute (records/s) or a multiple of the job's measured capacity ({@code 5x}).
 * Multiples resolve against the capacity the {@code capacity} probe measured at its own cost (see docs/testbed.md).
 */
public record Rate(double value, boolean multipleOfCapacity) {

    public static final Rate ZERO = new Rate(0, false);

    public Rate {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a rate must be a finite number >= 0, got " + value);
        }
    }

    public static Rate absolute(double recordsPerSecond) {
        return new Rate(recordsPerSecond, false);
    }

    public static Rate timesCapacity(double multiple) {
        return new Rate(multiple, true);
    }

    /** Records per second, given the measured capacity (records/s); capacity is only needed for multiples. */
    public double resolve(double capacity) {
        if (!multipleOfCapacity) {
            return value;
        }
        if (!(capacity > 0)) {
            throw new IllegalStateException("rate " + this + " is a multiple of the capacity, but no capacity is known"
                    + " (run the 'capacity' scenario first or pass --capacity)");
        }
        return value * capacity;
    }

    @Override
    public String toString() {
        String n = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        return multipleOfCapacity ? n + "x" : n;
    }
}
