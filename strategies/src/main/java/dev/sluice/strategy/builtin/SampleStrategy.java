package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.StrategyContext;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sample}: never blocks; keeps a uniform random sample whose size fits the budget.
 *
 * <ul>
 *   <li>Single record: a Bernoulli trial with keep fraction {@code p = min(1, bound / offeredRate)}, then a permit
 *   ({@code tryAcquire(1)}). The permit check keeps the bound strict while the offered-rate estimate lags a surge; in a
 *   steady state it rarely refuses, so the sample stays uniform.</li>
 *   <li>Bulk: {@code k = tryAcquire(size)} permits, then exactly {@code k} records chosen uniformly among the chunk's
 *   (every {@code k}-subset equally likely) by selection sampling (Knuth's algorithm S), kept in their original order.</li>
 * </ul>
 *
 * Random numbers: SplitMix64 whose state is one {@link AtomicLong} stepped with {@code addAndGet}, so it is thread-safe
 * without locks and allocates nothing. A bulk store draws one (mixed) seed from it and runs a local SplitMix64 stream. Seeded
 * from {@link StrategyContext#seed()} mixed with the stream id, so a fixed {@code sluice.seed} makes a run reproducible.
 */
public final class SampleStrategy implements CongestionStrategy {

    public static final String NAME = "sample";

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final AtomicLong state;

    public SampleStrategy() {
        this(System.nanoTime() ^ System.identityHashCode(new Object()));
    }

    public SampleStrategy(long seed) {
        this.state = new AtomicLong(mix(seed));
    }

    @Override
    public void init(StrategyContext context) {
        state.set(mix(context.seed() ^ (context.streamId() * GOLDEN_GAMMA)));
    }

    @Override
    public boolean admit(Object record, Budget budget) {
        double bound = budget.bound();
        if (bound < Double.POSITIVE_INFINITY) {
            double offered = budget.offeredRate();
            // Keep with probability bound / offered when offered > bound; written without a division.
            if (offered > bound && toUnitDouble(mix(state.addAndGet(GOLDEN_GAMMA))) * offered >= bound) {
                return false;
            }
        }
        return budget.tryAcquire(1) == 1;
    }

    @Override
    public void admitBulk(Chunk chunk, Budget budget) {
        int size = chunk.size();
        int k = budget.tryAcquire(size);
        if (k == size) {
            chunk.keepAll();
            return;
        }
        // The local stream starts at a mixed value: starting it at the raw shared state would make chunk c's numbers
        // those of chunk c-1 shifted by one (SplitMix64 steps by a constant), correlating consecutive selections.
        selectUniformly(chunk, k, mix(state.addAndGet(GOLDEN_GAMMA)));
    }

    /**
     * Knuth's selection sampling: visit the records in order and keep record {@code i} with probability
     * {@code (k - kept) / (size - i)}. Every {@code k}-subset is equally likely, exactly {@code k} are kept, and the
     * order is preserved for free.
     */
    static void selectUniformly(Chunk chunk, int k, long seed) {
        int size = chunk.size();
        long s = seed;
        int needed = k;
        for (int i = 0; i < size && needed > 0; i++) {
            s += GOLDEN_GAMMA;
            if (toUnitDouble(mix(s)) * (size - i) < needed) {
                chunk.keep(i);
                needed--;
            }
        }
    }

    /** SplitMix64's output function (Steele, Lea, Flood 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The top 53 bits as a double in [0, 1). */
    static double toUnitDouble(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
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
