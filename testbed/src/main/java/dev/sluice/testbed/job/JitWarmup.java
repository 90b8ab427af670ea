package dev.sluice.testbed.job;

import dev.sluice.testbed.source.Records;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs the job's record path (records stored at the run's storage level, then {@link PartitionWork}) as plain Spark
 * jobs on every executor for a fixed time before streaming starts, identically in every mode and in the capacity probe.
 *
 * <p>Why: the default comparison compresses the reference's 300 s hold to 30 s. On two cores, fresh executor JVMs
 * spend the first 20–25 s of a run compiling Spark's code (C2 compiler threads measured at 30–47 % of a core per
 * executor), so per-record cost falls by half during the window the figures are taken in, while the capacity probe
 * measured warm JVMs. Warming first makes every mode start from the JVM state the capacity was measured in; the
 * controllers still start with no knowledge of the job (the warm-up offers no streaming batch).
 */
public final class JitWarmup {

    private static final int RECORDS_PER_PARTITION = 2000;
    private static final int WARMUP_COST = 7;

    private JitWarmup() {
    }

    /** @return the number of warm-up rounds run */
    public static int run(JavaSparkContext sc, StorageLevel level, int base, long durationMs) {
        if (durationMs <= 0) {
            return 0;
        }
        int partitions = Math.max(2, sc.defaultParallelism());
        List<Integer> seeds = IntStream.range(0, partitions).boxed().collect(Collectors.toList());
        long end = System.currentTimeMillis() + durationMs;
        int rounds = 0;
        while (System.currentTimeMillis() < end) {
            JavaRDD<String> lines = sc.parallelize(seeds, partitions).mapPartitions(JitWarmup::lines).persist(level);
            lines.count();
            lines.mapPartitions(it -> PartitionWork.process(it, base)).collect();
            lines.unpersist(true);
            rounds++;
        }
        return rounds;
    }

    private static Iterator<String> lines(Iterator<Integer> seeds) {
        List<String> out = new ArrayList<>(RECORDS_PER_PARTITION);
        ByteBuffer buffer = ByteBuffer.allocate(Records.LENGTH);
        long now = System.currentTimeMillis();
        while (seeds.hasNext()) {
            long seed = seeds.next();
            for (int i = 0; i < RECORDS_PER_PARTITION; i++) {
                buffer.clear();
                Records.write(buffer, WARMUP_COST, seed * RECORDS_PER_PARTITION + i, now);
                // The stored line has no newline, as the receivers store it.
                out.add(new String(buffer.array(), 0, Records.LENGTH - 1, StandardCharsets.US_ASCII));
            }
        }
        return out.iterator();
    }
}
