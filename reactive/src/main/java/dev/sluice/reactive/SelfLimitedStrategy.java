package dev.sluice.reactive;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;

/**
 * A Sluice strategy that admits everything, for streams fed by a {@link ReactiveReceiver}: the receiver already asks
 * its publisher for no more than Sluice's bound (read through {@code RateLimiter.getCurrentLimit}), so throttling its
 * stores again only adds a second pacer with no room to catch up after a pause: measured on a loaded machine, the
 * agent's default throttle held the receiver's store thread 0.8-0.9 s of every second and the stream fell 15-40 %
 * below the bound in some 5 s windows. Select it per stream in the agent's configuration:
 * {@code sluice.stream.<id>.strategy=dev.sluice.reactive.SelfLimitedStrategy}. The agent still counts what is stored.
 *
 * <p>Loaded only by the agent (by name); without the agent nothing refers to this class, so the module's
 * {@code provided} dependency on Sluice's SPI is never needed at run time.
 */
public final class SelfLimitedStrategy implements CongestionStrategy {

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
