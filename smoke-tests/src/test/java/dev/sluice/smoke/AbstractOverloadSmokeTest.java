package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadChecks.assertCountersAddUp;
import static dev.sluice.smoke.OverloadChecks.assertDelayUnderTwoIntervals;
import static dev.sluice.smoke.OverloadChecks.assertWithinBound;
import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.smoke.OverloadRunData.Batch;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * The overload job on real multi-JVM Spark (local-cluster[2,2,1024]: driver JVM with master and workers, two executor
 * JVMs started by Spark), the shaded agent given as a user gives it: {@code -javaagent:<abs jar>=config=<abs file>} on
 * the driver's command line and in {@code spark.executor.extraJavaOptions}. One Spark application per test; each has
 * two receivers offering about 5x what the job processes, stream 0 with store(single), stream 1 with
 * store(Iterator), so one run judges both store paths.
 */
abstract class AbstractOverloadSmokeTest extends OneSparkLineSmokeTest {

    static final int STRATEGY_RUN_SECONDS = 70;
    static final int STOCK_RUN_SECONDS = 40;
    static final int BAD_CONFIG_RUN_SECONDS = 20;
    static final int GUARD_RUN_SECONDS = 30;
    static final double GUARD_FLOOR = 0.05;
    static final long BAD_CONFIG_RATE = 300;
    static final String TOP_K = "dev.sluice.examples.strategy.TopKStrategy";
    /**
     * sluice.rate.initial, records/s per stream, for the strategy runs: they judge each strategy's enforcement and
     * accounting from a start that is the same on every run. The start with nothing tuned (the slow start) is judged by
     * {@link #coldStartWithNothingTunedKeepsTheDelayLow}.
     */
    static final String INITIAL_RATE = "300";
    /** The start of a cold run: its first batches with data. */
    static final int START_BATCHES = 20;

    @Test
    void withoutTheAgentSchedulingDelayGrows() {
        OverloadRunData d = OverloadRunner.run(home, "stock", STOCK_RUN_SECONDS, null);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run);
        List<Batch> data = d.dataBatches();
        assertTrue(data.size() >= 3, "too few completed batches to see a trend: " + OverloadChecks.delays(data));
        int third = Math.max(1, data.size() / 3);
        long early = data.subList(0, third).stream().mapToLong(Batch::schedulingMs).max().orElse(0);
        long late = data.subList(data.size() - third, data.size()).stream().mapToLong(Batch::schedulingMs).max()
                .orElse(0);
        Batch last = data.get(data.size() - 1);
        Figures.record(String.format("%s stock: %d completed batches, scheduling delay first third max %d ms, "
                        + "last third max %d ms, last %d ms; offered %d+%d, stored %d+%d", version(), data.size(),
                early, late, last.schedulingMs(), d.receiverOffered(SINGLE), d.receiverOffered(ITERATOR),
                d.sparkStored(SINGLE), d.sparkStored(ITERATOR)));
        assertTrue(late >= early + 2 * OverloadRunner.BATCH_MS, "scheduling delay did not grow: first third max "
                + early + " ms, last third max " + late + " ms" + OverloadChecks.delays(data));
        assertTrue(last.schedulingMs() > 2 * OverloadRunner.BATCH_MS, "last completed batch waited only "
                + last.schedulingMs() + " ms" + OverloadChecks.delays(data));
        assertTrue(d.agentFiles.isEmpty(), "no agent, yet counter files: " + d.agentFiles);
    }

    @Test
    void throttleHoldsTheBound() {
        OverloadRunData d = strategyRun("throttle", Map.of("sluice.strategy", "throttle"));
        for (int s : new int[] {SINGLE, ITERATOR}) {
            long[] c = OverloadChecks.finalCounters(d, s);
            assertEquals(0, c[2], "throttle dropped records on stream " + s);
            long throttled = d.finalExecutorLines(s).stream().mapToLong(AgentLine::throttledNanos).sum();
            assertTrue(throttled > 0, "throttle never waited on stream " + s);
            // The waits hold the source back: it gives up what it could not offer in time (its own loss).
            assertTrue(d.receiverSkipped(s) > 0, "the source of stream " + s + " was never held back");
        }
    }

    @Test
    void dropHoldsTheBound() {
        OverloadRunData d = strategyRun("drop", Map.of("sluice.strategy", "drop"));
        assertMostlyDiscarded(d);
        List<Batch> judged = OverloadChecks.converged(d);
        Figures.record(String.format("%s drop: mean value kept after convergence %d / %d (uniform: 500000; the "
                + "control for top-K)", version(), d.meanValue(SINGLE, judged), d.meanValue(ITERATOR, judged)));
    }

    /**
     * A user's first run: cold executors (no warm-up), about 5x what the job processes offered from the first second on
     * a single-store receiver and a bulk one, and nothing tuned (no initial rate, default strategy and estimator). The
     * slow start must keep the queue from forming: over the start (the first {@value #START_BATCHES} batches with data)
     * the peak scheduling delay is at most 3 s, and the delay is under one interval from within 10 batches to the end of
     * the start. Later batches are the steady state, judged by the strategy runs (a neighbour's load 30 s in is not the
     * start).
     */
    @Test
    void coldStartWithNothingTunedKeepsTheDelayLow() {
        OverloadRunData d = OverloadRunner.run(home, "cold-start", STRATEGY_RUN_SECONDS, Map.of());
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        List<Batch> data = d.dataBatches();
        assertTrue(data.size() >= START_BATCHES, "too few completed batches: " + OverloadChecks.delays(data));
        List<Batch> start = data.subList(0, START_BATCHES);
        long peak = OverloadChecks.maxSchedulingDelay(start);
        int steadyFrom = START_BATCHES;
        while (steadyFrom > 0 && start.get(steadyFrom - 1).schedulingMs() < OverloadRunner.BATCH_MS) {
            steadyFrom--;
        }
        Figures.record(String.format("%s cold start, nothing tuned: over the first %d data batches peak scheduling delay "
                        + "%d ms, under one interval from batch %d; records per batch: first %d, %dth %d; whole run "
                        + "peak %d ms", version(), START_BATCHES, peak, steadyFrom + 1,
                OverloadRunData.total(start.get(0)), START_BATCHES, OverloadRunData.total(start.get(START_BATCHES - 1)),
                OverloadChecks.maxSchedulingDelay(data)));
        assertTrue(peak <= 3000, "peak scheduling delay at the start " + peak + " ms (floor 3 s)"
                + OverloadChecks.delays(start));
        assertTrue(steadyFrom < 10, "delay under one interval only from data batch " + (steadyFrom + 1)
                + " (floor: within 10)" + OverloadChecks.delays(start));
    }

    /**
     * {@code --conf spark.sluice.*} alone configures the agent (no agent arguments, no file): the executors, which see
     * Spark's configuration only through SparkEnv, drop above a maximum that only SparkConf names, and write their
     * counters where only SparkConf says. Judged on the bound and the counters, not on convergence: on a loaded machine
     * a cold start can keep the delay up for longer than the strategy runs allow, and that says nothing about where the
     * configuration came from.
     */
    @Test
    void dropConfiguredOnlyBySparkConf() {
        long max = 250;
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.strategy", "drop");
        props.put("sluice.rate.initial", "200");
        props.put("sluice.rate.max", String.valueOf(max));
        OverloadRunData d = OverloadRunner.runConfiguredBySparkConf(home, "sparkconf-drop", STRATEGY_RUN_SECONDS, props);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        StringBuilder fig = new StringBuilder(version() + " drop via SparkConf only (spark.sluice.rate.max=" + max + "):");
        for (int s : new int[] {SINGLE, ITERATOR}) {
            String what = "stream " + s;
            List<AgentLine> lines = d.executorLines(s).stream()
                    .sorted(java.util.Comparator.comparingLong(AgentLine::epochMs)).collect(Collectors.toList());
            assertTrue(lines.size() >= 10, what + ": only " + lines.size() + " executor lines in " + d.agentFiles
                    + " (spark.sluice.metrics.file not applied on the executors?)");
            assertTrue(lines.stream().allMatch(l -> l.strategy().equals("drop")), what + " not served by drop: "
                    + lines.stream().map(AgentLine::strategy).distinct().collect(Collectors.toList()));
            List<AgentLine> bounded = lines.stream().filter(l -> l.bound() > 0 && l.bound() < Long.MAX_VALUE / 2)
                    .collect(Collectors.toList());
            assertTrue(bounded.size() >= 10, what + ": the executors learned no bound");
            long maxLocal = bounded.stream().mapToLong(AgentLine::bound).max().orElse(0);
            assertTrue(maxLocal <= max, what + ": executor bound up to " + maxLocal + "/s, spark.sluice.rate.max=" + max);
            // Admitted from the first line with a bound to the last: at most max x time + one block interval's burst.
            AgentLine first = bounded.get(0);
            AgentLine last = lines.get(lines.size() - 1);
            long admitted = last.admitted() - first.admitted();
            long limit = Math.round(max * (last.epochMs() - first.epochMs()) / 1000.0 + max * 0.2 * 1.07)
                    + OverloadRunner.indivisible(s) + OverloadChecks.SLACK_RECORDS;
            assertTrue(admitted <= limit, what + ": admitted " + admitted + " in " + (last.epochMs() - first.epochMs())
                    + " ms, more than spark.sluice.rate.max allows (" + limit + ")");
            for (AgentLine l : d.finalExecutorLines(s)) {
                assertEquals(l.offered(), l.admitted() + l.dropped(), what + ": offered != admitted + dropped in " + l);
            }
            long[] c = OverloadChecks.finalCounters(d, s);
            // Spark's own count of what it stored (the job's batch file) cannot exceed what the agent admitted.
            long stored = d.sparkStored(s);
            assertTrue(stored <= c[1] + OverloadChecks.SLACK_RECORDS, what + ": Spark stored " + stored
                    + ", the agent admitted " + c[1]);
            fig.append(String.format("%n    stream %d: executor bounds %d..%d/s; admitted %d over %d ms (limit %d); "
                            + "offered %d, admitted %d, dropped %d; Spark stored %d", s,
                    bounded.stream().mapToLong(AgentLine::bound).min().orElse(0), maxLocal, admitted,
                    last.epochMs() - first.epochMs(), limit, c[0], c[1], c[2], stored));
        }
        assertMostlyDiscarded(d);
        String executors = d.run.executorOutput();
        assertTrue(executors.contains("active in this executor JVM") && executors.contains("settings: defaults only"),
                "executor start line (no agent arguments, nothing else at start-up) missing");
        assertTrue(executors.contains("settings in this executor JVM with SparkConf: SparkConf: ")
                        && executors.contains("spark.sluice.strategy=drop"),
                "executors did not report Spark's configuration");
        String driver = d.run.driverOutput();
        assertTrue(driver.contains("SparkConf: ") && driver.contains("spark.sluice.rate.max=" + max),
                "driver start line without the SparkConf settings");
        Figures.record(fig.toString());
    }

    @Test
    void sampleHoldsTheBound() {
        OverloadRunData d = strategyRun("sample", Map.of("sluice.strategy", "sample"));
        assertMostlyDiscarded(d);
    }

    @Test
    void userStrategyTopK() {
        OverloadRunData d = strategyRun("topk", Map.of("sluice.strategy", TOP_K));
        for (int s : new int[] {SINGLE, ITERATOR}) {
            List<String> names = d.executorLines(s).stream().map(AgentLine::strategy).distinct()
                    .collect(Collectors.toList());
            assertTrue(names.stream().allMatch(n -> n.contains("TopK")), "stream " + s
                    + " was not served by the user strategy (fallback after a failure?): " + names);
            // Values are uniform in [0, 1e6): an unbiased subset averages 500 000; keeping the largest pushes it up.
            long mean = d.meanValue(s, OverloadChecks.converged(d));
            Figures.record(String.format("%s topk stream %d: mean value kept after convergence %d (uniform: 500000)",
                    version(), s, mean));
            assertTrue(mean >= 750_000, "top-K on stream " + s + " kept records of mean value " + mean
                    + ", not the largest");
        }
        assertMostlyDiscarded(d);
    }

    /**
     * The executor memory guard on real executors. No overload of this job fills a 512 MB heap (the driver's bound
     * caps admission first), so the test forces the guard: a heap stress threshold of 1 %, below what any executor's
     * heap after GC occupies (~6 %). The guard must then report HIGH on every executor line, sit at its floor, and the
     * receivers must admit only the driver's bound times that floor, while offered = admitted + dropped still holds.
     */
    @Test
    void memoryGuardTightensTheLocalBoundOnRealExecutors() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.strategy", "drop");
        props.put("sluice.rate.initial", INITIAL_RATE);
        props.put("sluice.guard.heap.stress", "0.01");
        props.put("sluice.guard.heap.relief", "0.005");
        props.put("sluice.guard.floor", String.valueOf(GUARD_FLOOR));
        OverloadRunData d = OverloadRunner.run(home, "guard", GUARD_RUN_SECONDS, props);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        StringBuilder fig = new StringBuilder(version() + " guard forced (heap stress 1 %):");
        for (int s : new int[] {SINGLE, ITERATOR}) {
            String what = "guard store(" + (s == SINGLE ? "single" : "Iterator") + ")";
            List<AgentLine> lines = busiestExecutorLines(d, s);
            assertTrue(lines.size() >= 10, what + ": only " + lines.size() + " executor lines");
            // The first line can precede the guard's first tick (50 ms) on a slow start; every later one is judged.
            List<AgentLine> judged = lines.subList(1, lines.size());
            // The driver's bounds are sampled once a second and at each completion; one it published at a batch
            // submission and replaced within the second is not recorded, so each local bound is compared with the
            // largest driver bound of the run (a guard that did not apply would leave the local bound at the driver's,
            // 20x above that).
            long maxDriver = d.maxDriverBound(s, Long.MIN_VALUE + 1, Long.MAX_VALUE);
            assertTrue(maxDriver > 0, what + ": the driver published no bound");
            long maxLocal = 0;
            double allowed = 0;
            for (int i = 0; i < judged.size(); i++) {
                AgentLine l = judged.get(i);
                assertEquals("HIGH", l.guardLevel(), what + " at " + l.epochMs() + ": guard level");
                assertEquals(GUARD_FLOOR, l.guardFactor(), 1e-3, what + " at " + l.epochMs() + ": guard factor");
                assertTrue(l.bound() <= Math.ceil(GUARD_FLOOR * maxDriver) + 1, what + " at " + l.epochMs()
                        + ": local bound " + l.bound() + "/s, the driver's bounds up to " + maxDriver + "/s, floor "
                        + GUARD_FLOOR);
                maxLocal = Math.max(maxLocal, l.bound());
                if (i > 0) {
                    // Between two samples the local bound was at most floor x the driver's bound in force then.
                    AgentLine prev = judged.get(i - 1);
                    double cap = Math.max(Math.max(prev.bound(), l.bound()),
                            Math.ceil(GUARD_FLOOR * d.maxDriverBound(s, prev.epochMs() - 3000, l.epochMs())));
                    allowed += cap * (l.epochMs() - prev.epochMs()) / 1000.0;
                }
            }
            AgentLine first = judged.get(0);
            AgentLine last = judged.get(judged.size() - 1);
            long admitted = last.admitted() - first.admitted();
            // GCRA: bound x time + one block interval's burst (+ its coarse-clock allowance, at most 1/16 of it).
            long limit = Math.round(allowed + maxLocal * 0.2 * 1.07) + OverloadRunner.indivisible(s)
                    + OverloadChecks.SLACK_RECORDS;
            assertTrue(admitted > 0, what + ": nothing admitted under the guard's floor");
            assertTrue(admitted <= limit, what + ": admitted " + admitted + " over "
                    + (last.epochMs() - first.epochMs()) + " ms, more than the guarded bounds allow (" + limit + ")");
            String counters = assertCountersAddUp(what, d, s);
            fig.append(String.format("%n    stream %d: every line HIGH at factor %.2f; local bound <= %d/s against the "
                    + "driver's max %d/s; admitted %d over %d ms (allowed %d); %s", s, GUARD_FLOOR, maxLocal, maxDriver,
                    admitted, last.epochMs() - first.epochMs(), limit, counters));
        }
        assertMostlyDiscarded(d);
        Figures.record(fig.toString());
    }

    /** The lines of the executor JVM that served the stream longest (a receiver can move after a failure). */
    private static List<AgentLine> busiestExecutorLines(OverloadRunData d, int stream) {
        Map<String, List<AgentLine>> byJvm = d.executorLines(stream).stream()
                .collect(Collectors.groupingBy(AgentLine::pidFile));
        return byJvm.values().stream().max(java.util.Comparator.comparingInt(List::size))
                .map(l -> l.stream().sorted(java.util.Comparator.comparingLong(AgentLine::epochMs))
                        .collect(Collectors.toList()))
                .orElse(List.of());
    }

    /** spark.streaming.backpressure.initialRate per receiver: about a tenth of what the job processes per stream. */
    static final long SPARK_INITIAL_RATE = 100;

    /**
     * The usual recipe for Spark's own back-pressure (enabled, with an initial rate at about a tenth of the job's
     * capacity) with the agent attached in its default configuration. Spark's limiter starts at the initial rate; it must
     * hold only until Sluice's first bound, after which the store(single) stream runs at the estimator's bound, well above
     * the initial rate. (Without the fix it stayed pinned at exactly the initial rate for the whole run: Sluice skipped
     * Spark's updateRate, so Spark's own limiter kept min(initialRate, receiver.maxRate).)
     */
    @Test
    void sparksInitialRateIsNotAPermanentCap() {
        Map<String, String> spark = Map.of("spark.streaming.backpressure.enabled", "true",
                "spark.streaming.backpressure.initialRate", String.valueOf(SPARK_INITIAL_RATE));
        OverloadRunData d = OverloadRunner.run(home, "spark-initial-rate", STRATEGY_RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, Map.of(), spark);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        List<Batch> data = d.dataBatches();
        assertTrue(data.size() >= 20, "too few batches: " + OverloadChecks.delays(data));
        // The second half of the run: the estimator has had 30 s and more to find its bound.
        List<Batch> late = data.subList(data.size() / 2, data.size());
        long from = late.get(0).timeMs() - OverloadRunner.BATCH_MS;
        long to = late.get(late.size() - 1).timeMs();
        double meanSingle = late.stream().mapToLong(b -> b.records()[SINGLE]).average().orElse(0);
        long[] driverBounds = d.agentLines.stream()
                .filter(l -> l.streamId() == SINGLE && "driver".equals(l.role()) && l.bound() > 0
                        && l.epochMs() >= from && l.epochMs() <= to)
                .mapToLong(AgentLine::bound).sorted().toArray();
        assertTrue(driverBounds.length >= 5, "the driver published no bound for stream " + SINGLE + " in the second "
                + "half of the run");
        long medianBound = driverBounds[driverBounds.length / 2];
        Figures.record(String.format("%s Spark back-pressure on, initialRate %d/s, agent default config: store(single) "
                        + "stream %.0f records/batch over the last %d batches, driver bound median %d/s (range %d-%d); "
                        + "iterator stream %.0f records/batch", version(), SPARK_INITIAL_RATE, meanSingle, late.size(),
                medianBound, driverBounds[0], driverBounds[driverBounds.length - 1],
                late.stream().mapToLong(b -> b.records()[ITERATOR]).average().orElse(0)));
        assertTrue(medianBound >= 3 * SPARK_INITIAL_RATE, "the estimator's bound " + medianBound + "/s is not well "
                + "above the initial rate: the test cannot tell a cap from a bound");
        assertTrue(meanSingle >= 0.6 * medianBound, "store(single) ran at " + meanSingle + " records/batch, below the "
                + "estimator's bound " + medianBound + "/s (pinned at Spark's initial rate " + SPARK_INITIAL_RATE
                + "/s?)" + OverloadChecks.delays(late));
    }

    @Test
    void badConfigurationRunsUninstrumentedWithOneClearLine() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.strategy", "drop");
        props.put("sluice.rate.min", "abc");
        // Offered well below capacity, so that the uninstrumented job completes batches in a short run.
        OverloadRunData d = OverloadRunner.run(home, "bad-config", BAD_CONFIG_RUN_SECONDS, BAD_CONFIG_RATE, props);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run);
        assertTrue(d.dataBatches().size() >= 5, "Spark did not run the job: " + OverloadChecks.delays(d.batches));
        for (int s : new int[] {SINGLE, ITERATOR}) {
            long offered = d.receiverOffered(s);
            long stored = d.sparkStored(s);
            assertTrue(offered > 0 && stored > offered / 2, "stream " + s + ": Spark stored " + stored + " of "
                    + offered + " offered records");
        }
        List<String> lines = d.run.driverOutput().lines()
                .filter(l -> l.contains("Sluice: invalid configuration")).collect(Collectors.toList());
        assertEquals(1, lines.size(), "expected exactly one configuration error line in the driver output, got "
                + lines);
        String line = lines.get(0);
        assertTrue(line.contains("'sluice.rate.min'") && line.contains("'abc'") && line.contains("allowed:"),
                "the line must name the key, the value and what is allowed: " + line);
        assertTrue(d.agentFiles.isEmpty(), "an invalid configuration must leave Spark uninstrumented, yet the agent "
                + "wrote counters: " + d.agentFiles);
        Figures.record(String.format("%s bad-config: %d batches completed uninstrumented (stored %d+%d of %d+%d "
                        + "offered); driver line: %s", version(), d.batches.size(), d.sparkStored(SINGLE),
                d.sparkStored(ITERATOR), d.receiverOffered(SINGLE), d.receiverOffered(ITERATOR), line.trim()));
    }

    /** Runs the job with the agent and checks the properties every strategy must show on both streams. */
    OverloadRunData strategyRun(String name, Map<String, String> props) {
        Map<String, String> all = new LinkedHashMap<>(props);
        all.putIfAbsent("sluice.rate.initial", INITIAL_RATE);
        OverloadRunData d = OverloadRunner.run(home, name, STRATEGY_RUN_SECONDS, all);
        judgeStrategyRun(version() + " " + name, d);
        return d;
    }

    /**
     * The properties every strategy must show on both streams of a finished run: exit 0, convergence, each stream
     * within its bound, counters that add up, delay under two intervals. Shared with the stock-image container tests.
     */
    static void judgeStrategyRun(String label, OverloadRunData d) {
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        List<Batch> judged = OverloadChecks.converged(d);
        long maxDelay = OverloadChecks.maxSchedulingDelay(judged);
        StringBuilder fig = new StringBuilder(String.format("%s: %d batches judged (of %d), max scheduling "
                + "delay after convergence %d ms", label, judged.size(), d.batches.size(), maxDelay));
        for (int s : new int[] {SINGLE, ITERATOR}) {
            String what = label + (s == SINGLE ? " store(single)" : " store(Iterator)");
            String bound = OverloadChecks.assertWithinBound(what, d, s, judged);
            String counters = assertCountersAddUp(what, d, s);
            fig.append(String.format("%n    stream %d (%s): %s; %s", s, s == SINGLE ? "single" : "iterator", bound,
                    counters));
        }
        Figures.record(fig.toString());
        assertDelayUnderTwoIntervals(label, judged);
    }

    /** A lossy strategy at 5x overload discards most of what is offered, and says so in its counters. */
    static void assertMostlyDiscarded(OverloadRunData d) {
        for (int s : new int[] {SINGLE, ITERATOR}) {
            long[] c = OverloadChecks.finalCounters(d, s);
            assertTrue(c[2] > c[0] / 2, "stream " + s + ": only " + c[2] + " of " + c[0]
                    + " offered records dropped at about 5x overload");
        }
    }
}
