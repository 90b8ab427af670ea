package dev.sluice.testbed.job;

/**
 * The per-record CPU work: an iterative Tower of Hanoi of height {@code base + cost} (2^height - 1 moves), folded
 * into a checksum so the JIT cannot drop it. Deterministic, allocation-free, and exactly twice the moves per cost
 * step. With the default base 10, cost 7 (height 17) takes about 0.2 ms here, so two executor cores process a few
 * thousand records/s.
 */
public final class Work {

    public static final int DEFAULT_BASE = 10;

    private Work() {
    }

    public static long hanoi(int height) {
        long moves = (1L << height) - 1;
        long sum = 0;
        for (long i = 1; i <= moves; i++) {
            // move i goes from peg (i & (i-1)) % 3 to peg ((i | (i-1)) + 1) % 3
            sum += ((i & (i - 1)) % 3) * 3 + (((i | (i - 1)) + 1) % 3);
        }
        return sum;
    }
}
