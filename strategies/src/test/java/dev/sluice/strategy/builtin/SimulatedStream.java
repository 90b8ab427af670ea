package dev.sluice.strategy.builtin;

import dev.sluice.strategy.CongestionStrategy;

import java.util.Map;
import java.util.TreeMap;

/**
 * Drives a {@link StreamGate} on virtual time: records offered at a fixed rate from the current time (a producer that is late when the gate made
 * it wait simply offers the next record at once), admissions bucketed per block interval by the time they return.
 */
final class SimulatedStream {

    static final long BLOCK_INTERVAL_NANOS = 200_000_000L;

    final FakeClock clock = new FakeClock();
    final RateBudget budget = new RateBudget(clock, BLOCK_INTERVAL_NANOS);
    final StreamCounters counters = new StreamCounters();
    final StreamGate gate;
    final long start = clock.now();
    /** Block interval index → records admitted in it. */
    final Map<Long, Long> admittedPerInterval = new TreeMap<>();

    SimulatedStream(CongestionStrategy strategy, double bound) {
        gate = new StreamGate(0, strategy, budget, counters, StrategyFailureListener.IGNORE);
        budget.setBound(bound);
    }

    /** Offers {@code records} single records at {@code rate} records/s. */
    SimulatedStream offerSingles(long records, double rate) {
        long t0 = clock.now();
        for (long i = 0; i < records; i++) {
            clock.advanceTo(t0 + (long) (i * 1e9 / rate));
            if (gate.admitOne(i)) {
                admittedAt(1);
            }
        }
        return this;
    }

    /** Offers {@code chunks} bulk stores of {@code chunkSize} records at {@code rate} records/s. */
    SimulatedStream offerChunks(long chunks, int chunkSize, double rate) {
        Integer[] records = new Integer[chunkSize];
        for (int i = 0; i < chunkSize; i++) {
            records[i] = i;
        }
        long t0 = clock.now();
        for (long c = 0; c < chunks; c++) {
            clock.advanceTo(t0 + (long) (c * chunkSize * 1e9 / rate));
            ChunkSelection chunk = ChunkSelection.of((Object[]) records);
            gate.admitChunk(chunk);
            admittedAt(chunk.keptCount());
        }
        return this;
    }

    private void admittedAt(long n) {
        admittedPerInterval.merge((clock.now() - start) / BLOCK_INTERVAL_NANOS, n, Long::sum);
    }

    long maxAdmittedInAnInterval() {
        return admittedPerInterval.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    double elapsedSeconds() {
        return (clock.now() - start) / 1e9;
    }
}
