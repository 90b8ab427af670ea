package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.smoke.OverloadRunData.ReceiverLine;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * User strategies that misbehave, on real multi-JVM Spark 3.5.7 (local-cluster[2,2,1024], the agent given with
 * {@code -javaagent} on the driver and in {@code spark.executor.extraJavaOptions}): after {@value #GOOD_CALLS} good
 * calls each example strategy of {@code dev.sluice.examples.hostile} throws, blocks for good, or computes for
 * {@value #SLOW_MS} ms on every call. Judged per stream: the failure is logged once and counted (the executors'
 * summary line says {@code strategyErrors=1 (now throttle)}, their final counters {@code strategyErrors=1}), the stream
 * goes on under throttle (its CSV lines name the user's class, then {@code throttle}) to the end of the run, the
 * receiver is held no longer than {@code sluice.userStrategy.deadline} ({@value #DEADLINE_MS} ms; the slow strategy,
 * which no interrupt stops, for its one call), and the agent's counters add up against the receiver's own count and
 * Spark's completed batches (no advice error).
 */
class HostileStrategySmokeTest extends OneSparkLineSmokeTest {

    static final int RUN_SECONDS = 45;
    /** About 10 s of either receiver's offers (5 000/s): the strategy works first, then turns. */
    static final long GOOD_CALLS = 50_000;
    static final long DEADLINE_MS = 2_000;
    static final long SLOW_MS = 4_000;
    /**
     * What a stall adds to the gap between two of the receiver's per-second lines beyond the stall itself: the second
     * line interval, the watcher's tick (a tenth of the deadline, twice: first sight and the check past the deadline)
     * and scheduling noise on a loaded 2-core machine.
     */
    static final long GAP_SLACK_MS = 2_500;
    static final String HOSTILE = "dev.sluice.examples.hostile.";

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Test
    void aThrowingAndABlockingStrategyAreContainedAndTheStreamsThrottle() {
        OverloadRunData d = run("hostile-block-throw", HOSTILE + "BlockingStrategy", HOSTILE + "ThrowingStrategy");
        StringBuilder fig = new StringBuilder(version() + " hostile strategies (deadline " + DEADLINE_MS + " ms):");
        fig.append("\n    ").append(judge(d, SINGLE, "BlockingStrategy", "ran past its deadline",
                DEADLINE_MS, DEADLINE_MS + GAP_SLACK_MS));
        fig.append("\n    ").append(judge(d, ITERATOR, "ThrowingStrategy", "threw", 0, Long.MAX_VALUE));
        Figures.record(fig.toString());
    }

    @Test
    void aSlowStrategyHoldsTheReceiverForOneCallOnly() {
        OverloadRunData d = run("hostile-slow", HOSTILE + "SlowStrategy", "drop");
        StringBuilder fig = new StringBuilder(version() + " slow strategy (" + SLOW_MS + " ms a call, deadline "
                + DEADLINE_MS + " ms):");
        fig.append("\n    ").append(judge(d, SINGLE, "SlowStrategy", "ran past its deadline", SLOW_MS,
                SLOW_MS + GAP_SLACK_MS));
        // The other stream, under drop in the same executors, is untouched.
        assertEquals(List.of("drop"), d.executorLines(ITERATOR).stream().map(AgentLine::strategy).distinct()
                .collect(Collectors.toList()));
        fig.append("\n    stream 1 drop (control): ").append(OverloadChecks.assertCountersAddUp("drop", d, ITERATOR));
        assertTrue(d.run.executorOutput().contains(HOSTILE + "SlowStrategy.misbehave("),
                "the deadline's report does not show where the strategy was stuck");
        Figures.record(fig.toString());
    }

    private OverloadRunData run(String name, String stream0, String stream1) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        props.put("sluice.stream.0.strategy", stream0);
        props.put("sluice.stream.1.strategy", stream1);
        props.put("sluice.strategy.goodCalls", String.valueOf(GOOD_CALLS));
        props.put("sluice.strategy.slowMs", String.valueOf(SLOW_MS));
        props.put("sluice.userStrategy.deadline", DEADLINE_MS + "ms");
        OverloadRunData d = OverloadRunner.run(home, name, RUN_SECONDS, props);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        return d;
    }

    /**
     * One stream's verdict. {@code minStallMs}..{@code maxStallMs}: the longest gap between two of the receiver's
     * per-second lines (its storing thread writes them, so a held thread shows as a gap) must lie there. Judged on the
     * store(single) stream only: on the iterator stream a throttled chunk of 500 records waits seconds by design.
     */
    private String judge(OverloadRunData d, int s, String strategy, String logged, long minStallMs, long maxStallMs) {
        String cls = HOSTILE + strategy;
        String what = strategy + " on stream " + s;
        String executors = d.run.executorOutput();
        assertTrue(executors.contains("strategy '" + cls + "' of stream " + s + " " + logged),
                what + ": no executor logged '" + logged + "'");
        List<AgentLine> lines = d.executorLines(s).stream().sorted(Comparator.comparingLong(AgentLine::epochMs))
                .collect(Collectors.toList());
        assertTrue(!lines.isEmpty(), what + ": no executor counters in " + d.agentFiles);
        assertEquals(cls, lines.get(0).strategy(), what + ": the user's strategy did not serve the stream first");
        List<String> finalNames = d.finalExecutorLines(s).stream().map(AgentLine::strategy).distinct()
                .collect(Collectors.toList());
        assertEquals(List.of("throttle"), finalNames, what + ": the stream did not end under throttle");
        int errors = strategyErrors(executors, s);
        assertEquals(1, errors, what + ": strategy errors in the executors' final counters");
        assertTrue(Pattern.compile("Sluice stream " + s + " \\[throttle\\]:.* strategyErrors=1 \\(now throttle\\)")
                .matcher(executors).find(), what + ": no summary line shows the strategy error");
        long stall = longestGapMs(d, s) - 1000; // consecutive lines are a second apart when nothing holds the thread
        assertTrue(stall >= minStallMs - 500, what + ": the receiver was never held (" + stall + " ms): did the "
                + "strategy misbehave at all?");
        assertTrue(stall <= maxStallMs, what + ": the receiver was held " + stall + " ms, more than " + maxStallMs);
        long lastBatch = d.batches.get(d.batches.size() - 1).timeMs();
        long lastOffer = d.receiverLines.stream().filter(l -> l.streamId() == s && l.offered() > 0)
                .mapToLong(ReceiverLine::epochMs).max().orElse(0);
        assertTrue(lastOffer >= lastBatch - 5_000, what + ": the receiver stopped offering " + (lastBatch - lastOffer)
                + " ms before the last batch: still held by the strategy?");
        long switchedAt = lines.stream().filter(l -> l.strategy().equals("throttle")).findFirst().orElseThrow()
                .epochMs();
        List<OverloadRunData.Batch> after = d.dataBatches().stream()
                .filter(b -> b.timeMs() >= switchedAt + 5_000).collect(Collectors.toList());
        assertTrue(after.size() >= 10, what + ": only " + after.size() + " batches after the fallback");
        String bound = OverloadChecks.assertWithinBound(what, d, s, after);
        String counters = OverloadChecks.assertCountersAddUp(what, d, s);
        return String.format("stream %d %s: logged '%s', strategyErrors=%d, receiver held at most %d ms, "
                + "throttle from %d s into the run; after the fallback %s; %s", s, strategy, logged, errors, stall,
                (switchedAt - lines.get(0).epochMs()) / 1000, bound, counters);
    }

    /** The line an executor logs when the receiver stops, with the stream's final counters. */
    private static final Pattern RETIRED = Pattern.compile(
            "stream (\\d+) stopped: its state is retired \\(offered=.* strategyErrors=(\\d+)\\)");

    /** Strategy errors of stream {@code s} in the final counters of every executor JVM that served it. */
    static int strategyErrors(String executorOutput, int s) {
        int sum = 0;
        Matcher m = RETIRED.matcher(executorOutput);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == s) {
                sum += Integer.parseInt(m.group(2));
            }
        }
        return sum;
    }

    /** Longest time between two consecutive per-second lines of the receiver of stream {@code s}. */
    static long longestGapMs(OverloadRunData d, int s) {
        List<ReceiverLine> lines = d.receiverLines.stream().filter(l -> l.streamId() == s)
                .sorted(Comparator.comparingLong(ReceiverLine::epochMs)).collect(Collectors.toList());
        assertTrue(lines.size() >= 10, "stream " + s + ": only " + lines.size() + " receiver lines");
        long longest = 0;
        for (int i = 1; i < lines.size(); i++) {
            longest = Math.max(longest, lines.get(i).epochMs() - lines.get(i - 1).epochMs());
        }
        return longest;
    }
}
