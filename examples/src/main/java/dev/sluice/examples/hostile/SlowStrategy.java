package dev.sluice.examples.hostile;

import dev.sluice.strategy.StrategyContext;

/**
 * Computes for {@code slowMs} (strategy parameter, default 4000) on every call once its good calls are used up
 * ({@link MisbehavingStrategy}), then discards the record. Busy, not waiting: an interrupt does not stop it, as it would
 * not stop a long computation in user code.
 */
public final class SlowStrategy extends MisbehavingStrategy {

    private long slowNanos = 4_000_000_000L;
    private volatile long sink;

    @Override
    public void init(StrategyContext context) {
        super.init(context);
        slowNanos = Long.parseLong(context.parameter("slowMs", "4000")) * 1_000_000L;
    }

    @Override
    protected boolean misbehave() {
        long end = System.nanoTime() + slowNanos;
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        sink = x;
        return false;
    }
}
