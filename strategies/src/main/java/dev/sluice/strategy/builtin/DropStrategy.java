package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;

/**
 * {@code drop}: never blocks. Admits records first-come while the budget has permits and discards the rest; a bulk
 * store keeps its first {@code tryAcquire(size)} records (the same cut SPARK-8835 proposed: {@code take(n)}).
 */
public final class DropStrategy implements CongestionStrategy {

    public static final String NAME = "drop";

    @Override
    public boolean admit(Object record, Budget budget) {
        return budget.tryAcquire(1) == 1;
    }

    @Override
    public void admitBulk(Chunk chunk, Budget budget) {
        int size = chunk.size();
        int granted = budget.tryAcquire(size);
        if (granted == size) {
            chunk.keepAll();
            return;
        }
        for (int i = 0; i < granted; i++) {
            chunk.keep(i);
        }
    }

    @Override
    public boolean mayDiscard() {
        return true;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
