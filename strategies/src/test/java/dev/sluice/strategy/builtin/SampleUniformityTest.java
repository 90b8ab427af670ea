package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Is {@code sample} uniform over record positions? Chi-square goodness-of-fit tests with fixed seeds and a false-alarm
 * rate (probability of rejecting a truly uniform sampler) of {@code ALPHA = 0.001}, two-sided: a statistic above the
 * upper 0.05% point means positions are favoured, one below the lower 0.05% point means the counts are too even to be
 * random (e.g. consecutive selections correlated). Each is paired with deliberately biased samplers that the same test
 * must reject, so the test can fail.
 */
class SampleUniformityTest {

    static final double ALPHA = 0.001;
    /** Acceptance regions: scipy.stats.chi2.ppf(ALPHA / 2, df) and chi2.ppf(1 - ALPHA / 2, df). */
    static final double LOWER_DF63 = 32.455;
    static final double UPPER_DF63 = 106.583;
    static final double LOWER_DF49 = 22.789;
    static final double UPPER_DF49 = 88.231;

    static boolean accepted(double statistic, double lower, double upper) {
        return statistic > lower && statistic < upper;
    }

    // ---- bulk: a reservoir of exactly k among n ----------------------------------------------------------------

    static final int CHUNK = 64;
    static final int GRANTED = 16; // bound 80/s × 200 ms block interval
    static final int CHUNKS = 20_000;

    /**
     * Offers {@code CHUNKS} chunks of 64 records, one per block interval, at a bound that grants 16 per chunk, and
     * counts how often each position is kept. Every 16-subset equally likely means each position is kept with
     * {@code p = 16/64} in each chunk, but positions within a chunk are negatively correlated (exactly 16 kept), so the
     * Pearson sum is rescaled by the covariance of sampling without replacement:
     * {@code S = Σ (X_i - T p)² / (T p (1-p) n/(n-1))}, which is chi-square with {@code n - 1 = 63} degrees of freedom
     * under uniformity.
     */
    static double bulkStatistic(Supplier<CongestionStrategy> strategy) {
        SimulatedStream s = new SimulatedStream(strategy.get(), 80);
        long[] keptAt = new long[CHUNK];
        Object[] records = new Object[CHUNK];
        for (int c = 0; c < CHUNKS; c++) {
            s.clock.advanceTo(s.start + c * SimulatedStream.BLOCK_INTERVAL_NANOS);
            ChunkSelection chunk = ChunkSelection.of(records);
            s.gate.admitChunk(chunk);
            assertEquals(GRANTED, chunk.keptCount(), "chunk " + c);
            for (int i = chunk.nextKept(0); i >= 0; i = chunk.nextKept(i + 1)) {
                keptAt[i]++;
            }
        }
        double p = (double) GRANTED / CHUNK;
        double expected = CHUNKS * p;
        double variance = CHUNKS * p * (1 - p) * CHUNK / (CHUNK - 1.0);
        double statistic = 0;
        for (long x : keptAt) {
            statistic += (x - expected) * (x - expected) / variance;
        }
        return statistic;
    }

    @Test
    void bulkSampleIsUniformOverPositions() {
        double statistic = bulkStatistic(() -> new SampleStrategy(20261124L));
        System.out.printf("sample bulk: chi-square = %.2f, df = 63, acceptance (alpha=%s) = (%.3f, %.3f)%n",
                statistic, ALPHA, LOWER_DF63, UPPER_DF63);
        assertTrue(accepted(statistic, LOWER_DF63, UPPER_DF63), "statistic " + statistic);
    }

    @Test
    void biasedBulkSamplersAreRejected() {
        double firstK = bulkStatistic(DropStrategy::new);
        double mild = bulkStatistic(() -> new EarlyLeaningSampler(20261124L, 1.1));
        double correlated = bulkStatistic(() -> new ShiftedStreamSampler(20261124L));
        System.out.printf("biased bulk: drop (first k) chi-square = %.1f, early-leaning (u^1.1) = %.1f, "
                + "shifted streams = %.2f%n", firstK, mild, correlated);
        assertFalse(accepted(firstK, LOWER_DF63, UPPER_DF63));
        assertFalse(accepted(mild, LOWER_DF63, UPPER_DF63), "the test must see a mild bias; statistic " + mild);
        assertFalse(accepted(correlated, LOWER_DF63, UPPER_DF63), "too even; statistic " + correlated);
    }

    /**
     * A bug this test caught in {@link SampleStrategy}: each chunk's local SplitMix64 stream started at the raw shared
     * state, so chunk c used chunk c-1's numbers shifted by one. Every chunk is a uniform sample, but consecutive chunks
     * are correlated and the counts come out too even.
     */
    static final class ShiftedStreamSampler implements CongestionStrategy {
        private long shared;

        ShiftedStreamSampler(long seed) {
            this.shared = SampleStrategy.mix(seed);
        }

        @Override
        public boolean admit(Object record, Budget budget) {
            return budget.tryAcquire(1) == 1;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
            shared += 0x9E3779B97F4A7C15L;
            SampleStrategy.selectUniformly(chunk, budget.tryAcquire(chunk.size()), shared);
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }

    /** Selection sampling with the uniform draw bent to u^a: slightly more likely to keep early records. */
    static final class EarlyLeaningSampler implements CongestionStrategy {
        private long state;
        private final double exponent;

        EarlyLeaningSampler(long seed, double exponent) {
            this.state = seed;
            this.exponent = exponent;
        }

        @Override
        public boolean admit(Object record, Budget budget) {
            return nextDouble() < 0.5 && budget.tryAcquire(1) == 1;
        }

        @Override
        public void admitBulk(Chunk chunk, Budget budget) {
            int n = chunk.size();
            int needed = budget.tryAcquire(n);
            for (int i = 0; i < n && needed > 0; i++) {
                if (Math.pow(nextDouble(), exponent) * (n - i) < needed) {
                    chunk.keep(i);
                    needed--;
                }
            }
        }

        private double nextDouble() {
            state += 0x9E3779B97F4A7C15L;
            return SampleStrategy.toUnitDouble(SampleStrategy.mix(state));
        }

        @Override
        public boolean mayDiscard() {
            return true;
        }
    }

    // ---- single records: Bernoulli with the keep fraction ----------------------------------------------------------

    static final int PERIOD = 50;

    /**
     * Offers 1 000 000 single records at 5× the bound (5000/s, bound 1000/s) and counts the kept ones by position modulo
     * 50. Independent Bernoulli trials with a common keep probability give {@code S = Σ (X_j - N_j p̂)² / (N_j p̂ (1-p̂))}
     * (p̂ the overall kept fraction) chi-square with 49 degrees of freedom.
     */
    static double singleStatistic(CongestionStrategy strategy) {
        SimulatedStream s = new SimulatedStream(strategy, 1000);
        long[] keptAt = new long[PERIOD];
        int records = 1_000_000;
        for (int i = 0; i < records; i++) {
            s.clock.advanceTo(s.start + i * 200_000L);
            if (s.gate.admitOne(i)) {
                keptAt[i % PERIOD]++;
            }
        }
        double perPosition = (double) records / PERIOD;
        double p = (double) s.counters.admitted() / records;
        double statistic = 0;
        for (long x : keptAt) {
            double d = x - perPosition * p;
            statistic += d * d / (perPosition * p * (1 - p));
        }
        return statistic;
    }

    @Test
    void singleSampleIsUniformOverPositions() {
        double statistic = singleStatistic(new SampleStrategy(20261124L));
        System.out.printf("sample single: chi-square = %.2f, df = 49, acceptance (alpha=%s) = (%.3f, %.3f)%n",
                statistic, ALPHA, LOWER_DF49, UPPER_DF49);
        assertTrue(accepted(statistic, LOWER_DF49, UPPER_DF49), "statistic " + statistic);
    }

    @Test
    void firstComeSingleIsRejected() {
        double statistic = singleStatistic(new DropStrategy());
        System.out.printf("biased single: drop (first come) chi-square = %.1f%n", statistic);
        assertFalse(accepted(statistic, LOWER_DF49, UPPER_DF49));
    }
}
