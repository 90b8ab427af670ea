package dev.sluice.examples.hostile;

import java.util.concurrent.atomic.AtomicLong;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.StrategyContext;

/**
 * A user strategy that behaves (first-come within the budget, like drop) for its first {@code goodCalls} calls
 * (strategy parameter, default 3000: {@code sluice.strategy.goodCalls} or {@code sluice.stream.<id>.strategy.goodCalls})
 * and then misbehaves on every call, as its subclass says. For the smoke tests that show Sluice contains such a
 * strategy: the error is counted, the stream falls back to throttle, the receiver goes on.
 */
public abstract class MisbehavingStrategy implements CongestionStrategy {

    private final AtomicLong calls = new AtomicLong();
    private long goodCalls = 3000;

    @Override
    public void init(StrategyContext context) {
        goodCalls = Long.parseLong(context.parameter("goodCalls", String.valueOf(goodCalls)));
    }

    @Override
    public final boolean admit(Object record, Budget budget) throws InterruptedException {
        if (calls.incrementAndGet() > goodCalls) {
            return misbehave();
        }
        return budget.tryAcquire(1) == 1;
    }

    @Override
    public final void admitBulk(Chunk chunk, Budget budget) throws InterruptedException {
        if (calls.incrementAndGet() > goodCalls) {
            if (!misbehave()) {
                return; // keeps nothing
            }
            chunk.keepAll();
            return;
        }
        int granted = budget.tryAcquire(chunk.size());
        for (int i = 0; i < granted; i++) {
            chunk.keep(i);
        }
    }

    @Override
    public boolean mayDiscard() {
        return true;
    }

    /** What the strategy does instead of deciding; its result is the decision, if it returns. */
    protected abstract boolean misbehave() throws InterruptedException;
}
