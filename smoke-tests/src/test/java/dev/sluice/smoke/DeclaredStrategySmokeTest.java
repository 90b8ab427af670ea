package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.smoke.OverloadRunData.Batch;
import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkHomes;

/**
 * A receiver that declares its congestion strategy in code, on real multi-JVM Spark 3.5.7 (local-cluster[2,2,1024]):
 * the overload job's receivers as {@code WindowedTopKReceiver}, which declares the top-K example's sliding-window form
 * (the {@value #K} largest values of the last {@value #WINDOW_MS} ms) through {@code DeclaresCongestionStrategy}. The
 * agent's configuration names no strategy at all. Judged: every executor line names the declared strategy and the log
 * says where it came from; after the first window the kept values are the top of the distribution, about K per window
 * are admitted, each stream stays within its bound and the counters add up.
 */
class DeclaredStrategySmokeTest {

    static final long WINDOW_MS = 20_000;
    static final int K = 1000;
    static final int RUN_SECONDS = 70;

    @Test
    void aReceiverDeclaresTheWindowedTopKInCode() {
        SparkHome home = SparkHomes.resolve("3.5.7");
        SmokeEnv.agentJar();
        SmokeEnv.examplesJar();
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        OverloadRunData d = OverloadRunner.run(home, "declared-topk-window", RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, props, List.of("declareTopK=" + WINDOW_MS + ":" + K));
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        // Judged from the end of the first window. Not the strategy tests' convergence deadline: this strategy admits
        // about K per window, far below the bound, so the backlog of a cold start drains at the job's own pace, which
        // on a loaded machine took longer than that deadline (seen at load 15 on 2 cores).
        List<Batch> data = d.dataBatches();
        assertTrue(!data.isEmpty(), "no batch carried records; driver stderr tail:\n" + d.run.driverStderrTail(40));
        List<Batch> afterFirstWindow = data.stream().filter(b -> b.timeMs() >= data.get(0).timeMs() + WINDOW_MS)
                .collect(Collectors.toList());
        assertTrue(afterFirstWindow.size() >= 20, "only " + afterFirstWindow.size() + " batches after the first window");
        String executors = d.run.executorOutput();
        assertTrue(executors.contains("(declared by receiver dev.sluice.examples.strategy.WindowedTopKReceiver"),
                "no executor says the strategy came from the receiver's declaration");
        StringBuilder fig = new StringBuilder("3.5.7 declared windowed top-K (window " + WINDOW_MS + " ms, K " + K
                + ", no strategy key):");
        for (int s : new int[] {SINGLE, ITERATOR}) {
            List<String> names = d.executorLines(s).stream().map(AgentLine::strategy).distinct()
                    .collect(Collectors.toList());
            assertTrue(!names.isEmpty() && names.stream().allMatch(n -> n.contains("TopK")), "stream " + s
                    + " was not served by the declared strategy: " + names);
            // Values are uniform in [0, 1e6). After the first window, a record is kept only if it ranks among the
            // K largest of the ~100 000 offered over the window: the kept values average near the top percent.
            String what = "declared top-K stream " + s;
            String bound = OverloadChecks.assertWithinBound(what, d, s, afterFirstWindow);
            String counters = OverloadChecks.assertCountersAddUp(what, d, s);
            long mean = d.meanValue(s, afterFirstWindow);
            assertTrue(mean >= 950_000, "stream " + s + ": kept values average " + mean + " after the first window");
            // About K records per window once the window is full (a record ranks with probability K / offered).
            List<AgentLine> lines = d.executorLines(s).stream().sorted(Comparator.comparingLong(AgentLine::epochMs))
                    .collect(Collectors.toList());
            AgentLine last = lines.get(lines.size() - 1);
            AgentLine windowsBefore = lines.stream().filter(l -> l.epochMs() <= last.epochMs() - 2 * WINDOW_MS)
                    .reduce((a, b) -> b).orElseThrow();
            long admittedInTwoWindows = last.admitted() - windowsBefore.admitted();
            assertTrue(admittedInTwoWindows <= 3 * 2 * K, "stream " + s + ": " + admittedInTwoWindows
                    + " admitted in the last two windows, expected about " + 2 * K);
            assertTrue(admittedInTwoWindows > 0, "stream " + s + ": nothing admitted in the last two windows");
            fig.append(String.format("%n    stream %d: mean kept value after the first window %d (uniform: 500000); "
                    + "admitted in the last two windows %d (K per window: %d); %s; %s", s, mean, admittedInTwoWindows,
                    K, bound, counters));
        }
        AbstractOverloadSmokeTest.assertMostlyDiscarded(d);
        Figures.record(fig.toString());
    }
}
