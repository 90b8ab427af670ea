package dev.sluice.examples.strategy;

import dev.sluice.examples.overload.OfferingReceiver;
import dev.sluice.examples.overload.StoreMode;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.DeclaresCongestionStrategy;

/**
 * A receiver that chooses its own congestion strategy in code: the overload job's receiver, declaring that under
 * congestion its stream keeps only the records that rank among the {@code k} largest values of the last
 * {@code windowMillis} ({@link TopKStrategy}'s sliding-window form). No configuration key is needed;
 * {@code sluice.stream.<id>.strategy} would still override it. Needs the agent: the interface comes from its jar.
 */
public class WindowedTopKReceiver extends OfferingReceiver implements DeclaresCongestionStrategy {

    private static final long serialVersionUID = 1L;

    private final long windowMillis;
    private final int k;

    public WindowedTopKReceiver(StoreMode mode, long rate, long chunkMillis, String outDir, long windowMillis, int k) {
        super(mode, rate, chunkMillis, outDir);
        this.windowMillis = windowMillis;
        this.k = k;
    }

    /** Typed as the plain receiver, so that a caller's code can be verified without the agent's interface. */
    public static OfferingReceiver create(StoreMode mode, long rate, long chunkMillis, String outDir, long windowMillis,
                                          int k) {
        return new WindowedTopKReceiver(mode, rate, chunkMillis, outDir, windowMillis, k);
    }

    /** The same strategy by name, for an agent whose copy of the interface has no instance method. */
    @Override
    public String congestionStrategy() {
        return TopKStrategy.class.getName();
    }

    @Override
    public CongestionStrategy congestionStrategyInstance() {
        return new TopKStrategy(windowMillis, k);
    }
}
