package dev.sluice.strategy;

/** What a strategy learns about the stream it serves. */
public interface StrategyContext {

    int streamId();

    /** Spark's block interval, in milliseconds (the burst the budget allows). */
    long blockIntervalMillis();

    /**
     * A strategy parameter: {@code sluice.stream.<streamId>.strategy.<name>} if set, else {@code sluice.strategy.<name>},
     * else {@code defaultValue}.
     */
    String parameter(String name, String defaultValue);

    /** A seed for the strategy's random choices: fixed by {@code sluice.seed} for reproducible runs. */
    long seed();
}
