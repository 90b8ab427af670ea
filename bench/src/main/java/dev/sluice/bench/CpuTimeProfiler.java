package dev.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time and allocation of the benchmark threads per operation ({@code -prof dev.sluice.bench.CpuTimeProfiler}), next to JMH's wall
 * time: on a machine shared with other work a descheduled benchmark thread inflates wall time but not its CPU time, so
 * {@code cpu.time.norm} stays meaningful under load, and {@code cpu.share} (CPU time ÷ wall time of the benchmark
 * threads, 1.0 when they ran undisturbed) says how much the run was disturbed. It cannot remove the other effects of a
 * busy machine (caches, frequency), so quiet-machine wall time remains the reference figure.
 *
 * <p>{@code alloc.thread.norm}: bytes allocated by the benchmark threads themselves per operation. JMH's
 * {@code gc.alloc.rate.norm} divides the allocation of the whole JVM (with the agent: also its memory-guard thread,
 * which polls heap usage every 50 ms) by the operations; this one counts only the thread that calls {@code store}, which
 * is what "0 bytes per record on the hot path" is about.
 *
 * <p>Operations are counted as JMH's GC profiler counts them ({@code getAllOps()}, including
 * {@code @OperationsPerInvocation}), so the figures are per record like {@code gc.alloc.rate.norm}.
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private static final String WORKER = "-jmh-worker-";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.ThreadMXBean hotspotThreads =
            threads instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported() ? t : null;
    private final Map<Long, Long> cpuAtStart = new HashMap<>();
    private final Map<Long, Long> allocatedAtStart = new HashMap<>();
    private long wallAtStart;

    @Override
    public String getDescription() {
        return "CPU time of the benchmark threads per operation, and their share of wall time";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart.clear();
        allocatedAtStart.clear();
        for (Thread t : workers()) {
            cpuAtStart.put(t.getId(), threads.getThreadCpuTime(t.getId()));
            if (hotspotThreads != null) {
                allocatedAtStart.put(t.getId(), hotspotThreads.getThreadAllocatedBytes(t.getId()));
            }
        }
        wallAtStart = System.nanoTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long wall = System.nanoTime() - wallAtStart;
        long cpu = 0;
        long allocated = 0;
        int workers = 0;
        for (Thread t : workers()) {
            long now = threads.getThreadCpuTime(t.getId());
            if (now < 0) {
                continue; // thread ended
            }
            // A worker started during the iteration spent all its CPU time (and allocated everything) in it.
            cpu += now - cpuAtStart.getOrDefault(t.getId(), 0L);
            if (hotspotThreads != null) {
                allocated += hotspotThreads.getThreadAllocatedBytes(t.getId()) - allocatedAtStart.getOrDefault(t.getId(), 0L);
            }
            workers++;
        }
        long ops = result.getMetadata() == null ? 0 : result.getMetadata().getAllOps();
        List<Result> out = new ArrayList<>(3);
        if (hotspotThreads != null) {
            out.add(new ScalarResult("alloc.thread.norm", ops > 0 ? (double) allocated / ops : Double.NaN, "B/op",
                    AggregationPolicy.AVG));
        }
        out.add(new ScalarResult("cpu.time.norm", ops > 0 ? (double) cpu / ops : Double.NaN, "ns/op",
                AggregationPolicy.AVG));
        out.add(new ScalarResult("cpu.share", workers > 0 && wall > 0 ? (double) cpu / wall / workers : Double.NaN,
                "ratio", AggregationPolicy.AVG));
        return out;
    }

    private static List<Thread> workers() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(WORKER)) {
                out.add(t);
            }
        }
        return out;
    }
}
