package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.smoke.OverloadRunData.Batch;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * A driver restarted from its checkpoint ({@code JavaStreamingContext.getOrCreate(dir, factory)}, the examples'
 * {@code CheckpointedOverloadJob}) on real multi-JVM Spark with the agent. The first driver builds the DStream graph,
 * runs, and stops gracefully; the second deserializes the graph from the checkpoint: the receiver input streams, their
 * receivers and, with {@code spark.streaming.backpressure.enabled=true}, their {@code RateController}s
 * ({@code ReceiverInputDStream.rateController} is a plain, non-transient {@code Option} field: Spark serializes the
 * controller and its {@code readObject} re-creates only its transient executor and rate; nothing calls the factory
 * again). The second driver must print the agent's start line again, Sluice must publish bounds for the restored
 * streams, take over from the restored controllers, have its bounds enforced by the executors, and count no error.
 *
 * <p>The executors of the second driver run with the first one's {@code spark.executor.extraJavaOptions} (Spark
 * restores SparkConf from the checkpoint and reloads only a few keys, such as the master and the driver's address), so
 * both runs point the agent at one metrics directory; their files are told apart by time and pid.
 */
class DriverCheckpointRestartSmokeTest extends OneSparkLineSmokeTest {

    static final int FIRST_RUN_SECONDS = 30;
    static final int SECOND_RUN_SECONDS = 40;
    /** The agent's start line in a driver run with plain {@code java} (its role is read from Spark once it starts). */
    static final String START_LINE = " active in this JVM (driver or executor: read from Spark when it starts";
    static final String TAKEOVER = "Spark's rate controller no longer publishes for this stream";

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Test
    void restoredDriverGovernsTheRestoredStreams() throws IOException {
        Path base = SmokeEnv.runsDir().resolve(home.version().homeName()).resolve("checkpoint-restart");
        OverloadRunner.deleteRecursively(base);
        Path checkpoint = Files.createDirectories(base.resolve("checkpoint"));
        Path metrics = Files.createDirectories(base.resolve("metrics"));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.strategy", "throttle");
        props.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        props.put("sluice.metrics.file", metrics.toString());
        Consumer<LaunchSpec.Builder> checkpointed = b -> b
                .mainClass("dev.sluice.examples.overload.CheckpointedOverloadJob")
                .addAppArgs("checkpoint=" + checkpoint)
                .conf("spark.streaming.backpressure.enabled", "true");

        AtomicLong firstPid = new AtomicLong();
        OverloadRunData first = OverloadRunner.run(home, "checkpoint-first", FIRST_RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, props, checkpointed, driver -> firstPid.set(driver.pid()));
        String firstOut = first.run.driverOutput();
        assertEquals(0, first.run.exitCode(), "first driver; " + first.run + "\n" + first.run.driverStderrTail(40));
        assertTrue(firstOut.contains("checkpointed job: new context"), "the first driver did not build its context");
        assertTrue(firstOut.contains(START_LINE), "no start line in the first driver's log");
        assertTrue(checkpointFiles(checkpoint) > 0, "the first run wrote no checkpoint into " + checkpoint);

        long secondStart = System.currentTimeMillis();
        AtomicLong secondPid = new AtomicLong();
        OverloadRunData second = OverloadRunner.run(home, "checkpoint-second", SECOND_RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, props, checkpointed, driver -> secondPid.set(driver.pid()));
        String secondOut = second.run.driverOutput();
        assertEquals(0, second.run.exitCode(), "restored driver; " + second.run + "\n"
                + second.run.driverStderrTail(40));
        assertTrue(secondOut.contains("checkpointed job: restored from " + checkpoint), "the second driver did not "
                + "restore its context from the checkpoint:\n" + second.run.driverStderrTail(40));
        assertTrue(secondOut.contains(START_LINE), "no start line in the restored driver's log");
        String executors = second.run.executorOutput();
        assertTrue(executors.contains("active in this executor JVM"), "no start line in the restored run's executors");

        // Both runs' agent files, the restored run's told apart: its driver's pid, and executor samples after its start.
        OverloadRunData all = new OverloadRunData(second.run, second.run.runDir().resolve("job-out"), metrics,
                OverloadRunner.STREAMS);
        String driverFile = "sluice-driver-" + secondPid.get() + ".csv";
        List<AgentLine> restored = all.agentLines.stream().filter(l -> "driver".equals(l.role())
                ? l.pidFile().equals(driverFile) : l.epochMs() >= secondStart).collect(Collectors.toList());
        OverloadChecks.assertNoSluiceErrors(secondOut + "\n" + executors, restored);
        StringBuilder fig = new StringBuilder(String.format("%s driver restarted from a checkpoint (Spark "
                + "back-pressure on): first run %d batches, restored run %d batches (%d with records)", version(),
                first.batches.size(), second.batches.size(), second.dataBatches().size()));
        List<Batch> judged = second.dataBatches();
        assertTrue(judged.size() > 10, "the restored run completed too few batches with records: "
                + OverloadChecks.delays(second.batches));
        // The first batches after the restore take a start-up transient (cold executors); the bound is judged after.
        judged = judged.subList(5, judged.size());
        for (int s : new int[] {SINGLE, ITERATOR}) {
            final int stream = s;
            List<AgentLine> driverBounds = restored.stream().filter(l -> "driver".equals(l.role())
                    && l.streamId() == stream && l.bound() > 0).collect(Collectors.toList());
            assertTrue(driverBounds.size() >= 10, "stream " + s + ": the restored driver published a bound in only "
                    + driverBounds.size() + " samples");
            List<AgentLine> executorBounds = restored.stream().filter(l -> "executor".equals(l.role())
                    && l.streamId() == stream && l.bound() > 0).collect(Collectors.toList());
            assertTrue(executorBounds.size() >= 10, "stream " + s + ": the restored run's executors learned a bound "
                    + "in only " + executorBounds.size() + " samples");
            String bound = OverloadChecks.assertWithinBound("restored stream", all, s, judged);
            assertTrue(secondOut.contains("stream " + s + ": Sluice's bound") && secondOut.contains(TAKEOVER),
                    "stream " + s + ": Sluice did not take over from the restored RateController");
            fig.append(String.format("%n    stream %d: %d driver samples with a bound (%d..%d/s), %d executor samples "
                            + "with a bound; %s", s, driverBounds.size(),
                    driverBounds.stream().mapToLong(AgentLine::bound).min().orElse(0),
                    driverBounds.stream().mapToLong(AgentLine::bound).max().orElse(0), executorBounds.size(), bound));
        }
        long takeovers = secondOut.lines().filter(l -> l.contains(TAKEOVER)).count();
        fig.append(String.format("%n    takeover lines in the restored driver's log: %d", takeovers));
        Figures.record(fig.toString());
    }

    private static long checkpointFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("checkpoint-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
