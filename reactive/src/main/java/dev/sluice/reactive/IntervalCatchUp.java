package dev.sluice.reactive;

/**
 * Decides whether a fixed-rate interval tick should renew demand. A fixed-rate schedule runs missed ticks back to
 * back after a stall (a slow store, a GC pause, a starved CPU), which keeps the long-run rate at the bound; but
 * after a long stall that would request many intervals' worth in a burst. Ticks more than {@code maxLagIntervals}
 * behind their schedule are skipped, so a burst is at most that many intervals' allowance.
 */
final class IntervalCatchUp {

    private final long intervalNanos;
    private final long maxLagNanos;
    private long due;
    private boolean started;

    IntervalCatchUp(long intervalMillis, int maxLagIntervals) {
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.maxLagNanos = intervalNanos * maxLagIntervals;
    }

    /** Called at each tick with the current {@code System.nanoTime()}; true to renew demand now. */
    synchronized boolean shouldRenew(long nowNanos) {
        if (!started) {
            started = true;
            due = nowNanos + intervalNanos;
            return true;
        }
        boolean renew = nowNanos - due <= maxLagNanos;
        due += intervalNanos;
        if (due - nowNanos > intervalNanos) {
            due = nowNanos + intervalNanos; // the schedule ran early (clock adjustments): never build up credit
        }
        return renew;
    }
}
