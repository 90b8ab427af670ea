package dev.sluice.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.sluice.rate.AdaptiveRateEstimator;
import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.EstimatorSettings;

/**
 * What the driver pays per batch event for {@link AdaptiveRateEstimator} with N input streams in one
 * StreamingContext: one operation is a batch's {@code onBatchSubmitted} and its {@code onBatchCompleted}, so the score
 * (per operation, {@code @OperationsPerInvocation(2)}) is the time of one event. Building the {@link BatchSample} (what
 * the driver's listener does from Spark's BatchInfo, arrays copied) is included.
 *
 * <p>Streams are uneven, as in a real job: of every 8, three are held at their bound (would take more), two take a
 * tenth of it, one takes a few records, two are silent (no records; they still have a bound). The batch takes
 * 50 ms + 0.01 ms per record, so the cost model stays fitted and the fair split runs on every event.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@State(Scope.Thread)
public class EstimatorBenchmark {

    private static final long INTERVAL_MS = 1000;

    @Param({"1", "16", "100", "1000"})
    public int streams;

    private AdaptiveRateEstimator estimator;
    private int[] ids;
    private long[] records;
    private long[] bounds;
    private BoundSink sink;
    private long batchTimeMs;

    @Setup(Level.Trial)
    public void setUp() {
        estimator = new AdaptiveRateEstimator(EstimatorSettings.builder(INTERVAL_MS).minRate(1).build());
        ids = new int[streams];
        records = new long[streams];
        bounds = new long[streams];
        for (int i = 0; i < streams; i++) {
            ids[i] = i;
            bounds[i] = 1000;
        }
        sink = (streamId, recordsPerSecond) -> bounds[streamId] = recordsPerSecond;
        batchTimeMs = 1_000_000;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public long batch() {
        batchTimeMs += INTERVAL_MS;
        long total = 0;
        for (int i = 0; i < streams; i++) {
            long atBound = bounds[i] * INTERVAL_MS / 1000;
            switch (i % 8) {
                case 0: case 1: case 2: records[i] = atBound + 1; break;   // held: would take more
                case 3: case 4: records[i] = atBound / 10; break;          // quiet
                case 5: records[i] = 3; break;                              // a trickle
                default: records[i] = 0;                                    // silent
            }
            total += records[i];
        }
        long submitted = batchTimeMs + 3;
        estimator.onBatchSubmitted(new BatchSample(batchTimeMs, INTERVAL_MS, submitted, -1, -1, ids, records), sink);
        long end = submitted + 50 + total / 100;
        estimator.onBatchCompleted(new BatchSample(batchTimeMs, INTERVAL_MS, submitted, submitted, end, ids, records),
                sink);
        return bounds[0];
    }
}
