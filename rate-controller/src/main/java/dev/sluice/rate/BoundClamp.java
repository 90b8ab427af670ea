package dev.sluice.rate;

/**
 * Turns an estimated rate into the bound that is published: within [minRate, maxRate], rounded to a whole number of
 * records per second, and never below 1 (a bound of 0 would stop a receiver for good, and Spark's limiter ignores it).
 */
public final class BoundClamp {
    private final double minRate;
    private final double maxRate;

    public BoundClamp(double minRate, double maxRate) {
        if (!(minRate >= 0) || !(maxRate > 0) || maxRate < minRate) {
            throw new IllegalArgumentException("need 0 <= minRate <= maxRate, maxRate > 0; got min=" + minRate
                    + ", max=" + maxRate);
        }
        this.minRate = minRate;
        this.maxRate = maxRate;
    }

    public double minRate() {
        return minRate;
    }

    public double maxRate() {
        return maxRate;
    }

    /** The clamped rate as a double (NaN stays NaN: no estimate). */
    public double clamp(double rate) {
        if (Double.isNaN(rate)) {
            return rate;
        }
        return Math.max(minRate, Math.min(maxRate, rate));
    }

    /** The bound to publish for {@code rate}; {@code rate} must not be NaN. */
    public long toBound(double rate) {
        if (Double.isNaN(rate)) {
            throw new IllegalArgumentException("no estimate to publish");
        }
        double clamped = clamp(rate);
        if (clamped >= (double) Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(1L, Math.round(clamped));
    }
}
