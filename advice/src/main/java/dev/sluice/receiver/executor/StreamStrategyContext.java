package dev.sluice.receiver.executor;

import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.strategy.StrategyContext;

/** What a stream's strategy learns: its stream id, Spark's block interval, its parameters and the seed. */
final class StreamStrategyContext implements StrategyContext {
    private final int streamId;
    private final long blockIntervalMillis;
    private final RuntimeSettings settings;
    private final long seed;

    StreamStrategyContext(int streamId, long blockIntervalMillis, RuntimeSettings settings, long seed) {
        this.streamId = streamId;
        this.blockIntervalMillis = blockIntervalMillis;
        this.settings = settings;
        this.seed = seed;
    }

    @Override
    public int streamId() {
        return streamId;
    }

    @Override
    public long blockIntervalMillis() {
        return blockIntervalMillis;
    }

    @Override
    public String parameter(String name, String defaultValue) {
        return settings.strategyParameter(streamId, name, defaultValue);
    }

    @Override
    public long seed() {
        return seed;
    }
}
