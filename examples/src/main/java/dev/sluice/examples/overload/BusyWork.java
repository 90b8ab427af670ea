package dev.sluice.examples.overload;

/**
 * Deterministic CPU work per record: spins on arithmetic for a fixed number of microseconds. Fixed in time rather
 * than in iterations, so the job's capacity (records/s per core) does not depend on the CPU model or on how many
 * other processes share the machine at that moment.
 */
public final class BusyWork {

    private static volatile long sink;

    private BusyWork() {
    }

    public static long burn(long value, int micros) {
        long x = value | 1;
        if (micros <= 0) {
            return x;
        }
        long end = System.nanoTime() + micros * 1000L;
        do {
            for (int i = 0; i < 64; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
        } while (System.nanoTime() < end);
        return x;
    }

    /** Keeps the JIT from removing the work. */
    public static void sink(long v) {
        sink += v;
    }
}
