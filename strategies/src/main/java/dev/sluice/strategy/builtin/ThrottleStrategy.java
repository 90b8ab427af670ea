package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;

/**
 * {@code throttle}: blocks the storing thread until the budget grants the records; never discards. A bulk store waits
 * for all its records, about {@code (size - available) / bound}, re-checking the bound every 10 ms; no wait lasts longer
 * than {@code sluice.throttle.maxWait} or past the receiver's stop (the records are then stored over the bound, and
 * counted: see {@link RateBudget#acquire}). Burst: one block interval's worth of records ({@link Budget#perInterval()}).
 * Also the fallback when a user strategy fails.
 */
public final class ThrottleStrategy implements CongestionStrategy {

    public static final String NAME = "throttle";

    @Override
    public boolean admit(Object record, Budget budget) throws InterruptedException {
        budget.acquire(1);
        return true;
    }

    @Override
    public void admitBulk(Chunk chunk, Budget budget) throws InterruptedException {
        budget.acquire(chunk.size());
        chunk.keepAll();
    }

    @Override
    public boolean mayDiscard() {
        return false;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
