package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;

/**
 * Admits everything without touching the budget: for receivers that pace themselves to the bound
 * ({@link dev.sluice.strategy.SelfLimitedReceiver}). The gate still counts every record offered and admitted.
 */
public final class PassThroughStrategy implements CongestionStrategy {

    public static final String NAME = "self-limited";

    @Override
    public boolean admit(Object record, Budget budget) {
        return true;
    }

    @Override
    public void admitBulk(Chunk chunk, Budget budget) {
        chunk.keepAll();
    }

    @Override
    public boolean mayDiscard() {
        return false;
    }
}
