package dev.sluice.bench;

import java.util.concurrent.TimeUnit;

import org.apache.spark.SparkConf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import scala.collection.mutable.ArrayBuffer;

/**
 * {@code Receiver.store(...)} through a real Spark {@link org.apache.spark.streaming.receiver.Receiver}, measured per
 * record. Whether it is instrumented is decided by the fork's JVM arguments only ({@code -javaagent:} the shaded agent
 * jar, exactly as in production, or nothing); {@code bench/run.sh} runs each configuration. Every score is ns/record
 * (bulk benchmarks declare {@link #BATCH} operations per call) and, with {@code -prof gc}, {@code gc.alloc.rate.norm} is
 * bytes/record.
 *
 * <p>{@link #bound}: the stream's bound in records/s, delivered the way the driver's {@code UpdateRateLimit} message
 * delivers it on an executor, {@code RateLimiter.updateRate(J)} on the supervisor's default BlockGenerator, or
 * {@code none} (no bound ever sent). Uninstrumented, a bound changes nothing on this path (Spark applies its limiter in
 * the BlockGenerator, which the no-op supervisor does not feed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// The short settings of bench/run.sh, so a bare `java -jar benchmarks.jar` does not run JMH's 5 forks x 10 s defaults.
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StoreBenchmark {

    /** Records per bulk store (iterator, ArrayBuffer). */
    public static final int BATCH = 100;

    static final int STREAM_ID = 0;

    private static final boolean REPORT = Boolean.getBoolean("bench.report");

    @Param({"none"})
    public String bound;

    private BenchReceiver receiver;
    private NoOpSupervisor supervisor;
    private final Object record = "record";
    private ReusableIterator iterator;
    private ArrayBuffer<Object> buffer;
    private SluiceProbe runtime;
    private String label;

    @Setup
    public void setUp(Blackhole blackhole) {
        receiver = new BenchReceiver(STREAM_ID);
        supervisor = new NoOpSupervisor(receiver, new SparkConf(false));
        supervisor.sinkInto(blackhole);
        Object[] records = new Object[BATCH];
        buffer = new ArrayBuffer<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            records[i] = "record-" + i;
            buffer.$plus$eq(records[i]);
        }
        iterator = new ReusableIterator(records);
        if (!"none".equals(bound)) {
            supervisor.defaultBlockGenerator().updateRate(Long.parseLong(bound));
        }
        BenchConfig.current().check(receiver, supervisor, bound);
        runtime = BenchConfig.current().probe(STREAM_ID);
        label = "[sluice-bench] " + BenchConfig.current().describe() + " bound=" + bound
                + ": records that reached the supervisor: ";
    }

    /**
     * With {@code -Dbench.report=true}: what the strategy let through during the trial, in the benchmark's log. Off by
     * default because JMH runs this inside the last measured iteration and printing from a fork costs a few hundred KB
     * of allocation there (JMH serialises the output to the host), which {@code -prof gc} would charge to the records.
     * Without it, the agent's own final summary line ("Sluice final stream 0 ... offered= admitted= dropped=") shows
     * the same at the end of each fork's log.
     */
    @TearDown
    public void tearDown() {
        if (REPORT) {
            System.out.println(label + supervisor.pushed() + (runtime == null ? "" : "; runtime offered " + runtime.offered()));
        }
    }

    /** {@code store(T)}: one record per call. */
    @Benchmark
    public void storeSingle() {
        receiver.store(record);
    }

    /** {@code store(scala.collection.Iterator)}: {@link #BATCH} records per call, consumed by the supervisor. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void storeIterator() {
        receiver.store(iterator.rewind());
    }

    /** {@code store(ArrayBuffer)}: {@link #BATCH} records per call. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void storeArrayBuffer() {
        receiver.store(buffer);
    }
}
