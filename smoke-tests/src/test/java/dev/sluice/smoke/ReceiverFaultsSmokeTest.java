package dev.sluice.smoke;

import static dev.sluice.smoke.OverloadRunner.ITERATOR;
import static dev.sluice.smoke.OverloadRunner.SINGLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.AgentLine;
import dev.sluice.smoke.OverloadRunData.Batch;
import dev.sluice.testbed.cluster.DriverProcess;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * What clusters do to receivers, on real multi-JVM Spark (local-cluster[2,2,1024]: two executor JVMs started by
 * Spark's Workers) with the agent on every JVM, the overload job's two receivers offering about 5x what the job
 * processes, under the throttle strategy (no record discarded on purpose, so every record missing from Spark's batches
 * is a loss of the fault, not of Sluice).
 *
 * <ul>
 *   <li>{@link #receiverExecutorKilledMidRun}: the executor JVM hosting stream 0's receiver gets SIGKILL mid-run (the
 *       executor, not a Worker). Spark's ReceiverTracker relaunches the receiver on another executor; the bound must be
 *       back on it within two batch intervals, its counters must start and add up there, no error of Sluice's may
 *       appear, and the job must run to its end. What the kill loses is measured against counts made outside Sluice.
 *   <li>{@link #receiverRestartStorm}: stream 0's receiver restarts itself every 200 ms for 10 s
 *       ({@code RestartStormReceiver}). Each restart must get a fresh incarnation of the stream that carries the bound,
 *       Sluice's threads and live stream objects in that executor must not grow with the restarts, and no contained
 *       error may be counted.
 * </ul>
 */
class ReceiverFaultsSmokeTest extends OneSparkLineSmokeTest {

    static final int KILL_RUN_SECONDS = 60;
    /** The kill comes this long after stream 0 first had a bound on its executor (the estimator at work by then). */
    static final long KILL_AFTER_BOUND_MS = 15_000;
    static final int STORM_RUN_SECONDS = 50;
    static final long STORM_AFTER_MS = 15_000;
    static final long STORM_EVERY_MS = 200;
    static final long STORM_FOR_MS = 10_000;
    /** {@code -Dsluice.smoke.faults.noKill=true}: everything but the SIGKILL, to see the kill test fail without it. */
    static final String NO_KILL = "sluice.smoke.faults.noKill";
    static final Pattern STORM_START = Pattern.compile("restart storm: stream 0 start (\\d+) at (\\d+)");

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    private static Map<String, String> throttle() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("sluice.strategy", "throttle");
        props.put("sluice.rate.initial", AbstractOverloadSmokeTest.INITIAL_RATE);
        return props;
    }

    /** The kill: which JVM, which executor, when, which streams it hosted, and its last sample of stream 0. */
    record Kill(long pid, String executorId, long atMs, Set<Integer> streams, long lastSampleMs) {
    }

    @Test
    void receiverExecutorKilledMidRun() {
        AtomicReference<Kill> kill = new AtomicReference<>();
        OverloadRunData d = OverloadRunner.run(home, "executor-kill", KILL_RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, throttle(), b -> { },
                driver -> kill.set(killReceiverExecutor(driver)));
        Kill k = kill.get();
        assertNotNull(k, "the executor hosting stream 0's receiver was never killed; " + d.run);
        assertEquals(0, d.run.exitCode(), "the job did not run to its end after the kill; " + d.run + "\n"
                + d.run.driverStderrTail(40));
        OverloadChecks.assertNoSluiceErrors(d.run.driverOutput() + "\n" + d.run.executorOutput(), d.agentLines);

        StringBuilder fig = new StringBuilder(String.format("%s executor kill: SIGKILL of executor %s (pid %d, "
                + "streams %s) at +%d ms after its last sample", version(), k.executorId(), k.pid(), k.streams(),
                k.atMs() - k.lastSampleMs()));
        for (int s : k.streams()) {
            String what = "stream " + s;
            // The receiver's new home: stream lines in another executor JVM after the kill.
            List<AgentLine> after = d.executorLines(s).stream()
                    .filter(l -> !l.pidFile().equals(file(k.pid())) && l.epochMs() > k.atMs())
                    .sorted(Comparator.comparingLong(AgentLine::epochMs)).collect(Collectors.toList());
            assertFalse(after.isEmpty(), what + ": the receiver did not restart on another executor after the kill "
                    + "(no counters in another executor JVM): " + d.agentFiles);
            String newFile = after.get(0).pidFile();
            List<AgentLine> moved = after.stream().filter(l -> l.pidFile().equals(newFile)).collect(Collectors.toList());
            int firstBounded = indexOfFirstBound(moved);
            assertTrue(firstBounded >= 0, what + ": no bound ever reached the restarted receiver: " + moved);
            // Samples are once a second: the first comes within a second of the stream's start there, so a bound in
            // the first or second sample arrived within two batch intervals.
            assertTrue(firstBounded <= 1, what + ": the bound reached the restarted receiver only in its sample "
                    + firstBounded + " (" + (moved.get(firstBounded).epochMs() - moved.get(0).epochMs())
                    + " ms after its first): " + moved.subList(0, firstBounded + 1));
            AgentLine bounded = moved.get(firstBounded);
            long driverBound = d.maxDriverBound(s, bounded.epochMs() - 3_000, bounded.epochMs());
            assertTrue(bounded.bound() > 0 && bounded.bound() <= driverBound, what + ": the restarted receiver's "
                    + "first bound " + bounded.bound() + "/s is not one the driver published (up to " + driverBound
                    + "/s in the 3 s before)");
            assertCountersContinue(what, moved);
            // Spark's batches after the restart carry the stream's records: the job goes on with it.
            long storedAfter = d.batches.stream().filter(b -> b.timeMs() > moved.get(0).epochMs())
                    .mapToLong(b -> b.records()[s]).sum();
            assertTrue(storedAfter > 0, what + ": no record of the restarted receiver reached a batch");
            fig.append(String.format("%n    stream %d: restarted in %s %d ms after the kill; bound %d/s in its sample "
                            + "%d (%d ms after its first); %d records in batches after the restart", s, newFile,
                    moved.get(0).epochMs() - k.atMs(), bounded.bound(), firstBounded,
                    bounded.epochMs() - moved.get(0).epochMs(), storedAfter));
        }
        assertDriverCountersContinue(d, k.atMs());
        long batchesAfter = d.batches.stream().filter(b -> b.timeMs() > k.atMs()).count();
        assertTrue(batchesAfter >= 20, "only " + batchesAfter + " batches completed after the kill: "
                + OverloadChecks.delays(d.batches));
        fig.append(String.format("%n    %d batches completed after the kill, last scheduling delay %d ms", batchesAfter,
                d.batches.get(d.batches.size() - 1).schedulingMs()));
        for (int s : new int[] {SINGLE, ITERATOR}) {
            fig.append("\n    ").append(lossAccount(d, s, k));
        }
        Figures.record(fig.toString());
    }

    @Test
    void receiverRestartStorm() {
        AtomicReference<StormProbe> probe = new AtomicReference<>();
        OverloadRunData d = OverloadRunner.run(home, "restart-storm", STORM_RUN_SECONDS,
                OverloadRunner.RATE_PER_RECEIVER, throttle(),
                b -> b.addAppArgs("restartStorm=" + STORM_AFTER_MS + ":" + STORM_EVERY_MS + ":" + STORM_FOR_MS),
                driver -> probe.set(probeStorm(driver)));
        StormProbe p = probe.get();
        assertNotNull(p, "the storm receiver's executor was never found; " + d.run);
        assertEquals(0, d.run.exitCode(), "the job did not survive the restart storm; " + d.run + "\n"
                + d.run.driverStderrTail(40));
        OverloadChecks.assertNoSluiceErrors(d.run.driverOutput() + "\n" + d.run.executorOutput(), d.agentLines);

        // The receiver's own count of its starts (its stdout), independent of Spark and the agent.
        String executors = d.run.executorOutput();
        List<long[]> starts = new ArrayList<>();
        Matcher m = STORM_START.matcher(executors);
        while (m.find()) {
            starts.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        assertFalse(starts.isEmpty(), "the storm receiver never started");
        long first = starts.stream().mapToLong(s -> s[1]).min().orElseThrow();
        long stormFrom = first + STORM_AFTER_MS;
        long stormTo = stormFrom + STORM_FOR_MS + STORM_EVERY_MS;
        long restarts = starts.size() - 1;
        assertTrue(restarts >= 20, "only " + restarts + " restarts of the storm receiver (expected one every "
                + STORM_EVERY_MS + " ms plus Spark's restart time for " + STORM_FOR_MS + " ms)");
        // One fresh incarnation per start of the receiver, each retired at its stop.
        long incarnations = count(executors, "Sluice: stream 0 managed with strategy 'throttle'");
        long retired = count(executors, "Sluice: stream 0 stopped: its state is retired");
        assertEquals(starts.size(), incarnations, "incarnations of stream 0 vs the receiver's starts");
        assertTrue(retired >= restarts, retired + " incarnations of stream 0 retired, " + restarts + " restarts");

        // Every sample of stream 0 from its first bound on, those of each retired incarnation included, has a bound.
        List<AgentLine> lines = d.executorLines(SINGLE).stream().sorted(Comparator.comparingLong(AgentLine::epochMs))
                .collect(Collectors.toList());
        int firstBounded = indexOfFirstBound(lines);
        assertTrue(firstBounded >= 0, "stream 0 never had a bound");
        List<AgentLine> unbounded = lines.subList(firstBounded, lines.size()).stream().filter(l -> l.bound() <= 0)
                .collect(Collectors.toList());
        assertTrue(unbounded.isEmpty(), "samples of stream 0 without a bound after its first: " + unbounded);
        long stormSamples = lines.stream().filter(l -> l.epochMs() >= stormFrom && l.epochMs() <= stormTo + 1000)
                .count();
        // The storm's records in Spark's batches stay within the bound (the bound re-published to, and enforced by,
        // each new incarnation).
        List<Batch> stormBatches = d.batches.stream()
                .filter(b -> b.timeMs() >= stormFrom && b.timeMs() <= stormTo + 2 * OverloadRunner.BATCH_MS)
                .collect(Collectors.toList());
        String withinBound = OverloadChecks.assertWithinBound("restart storm", d, SINGLE, stormBatches);
        assertCountersContinue("stream 0", lines);

        // No growth of Sluice's threads or live stream state in the storm receiver's executor.
        assertTrue(p.before != null && p.after != null, "the executor was not probed before and after the storm");
        long threadsBefore = sluiceThreads(p.before.threads);
        long threadsAfter = sluiceThreads(p.after.threads);
        assertTrue(threadsAfter <= Math.max(threadsBefore, 3) && threadsAfter <= 3, "Sluice's threads in executor "
                + p.pid + ": " + threadsBefore + " before the storm, " + threadsAfter + " after " + restarts
                + " restarts: " + p.after.threads);
        long streamsBefore = p.before.managedStreams();
        long streamsAfter = p.after.managedStreams();
        assertTrue(streamsAfter <= 2L * OverloadRunner.STREAMS, "live ManagedStream objects in executor " + p.pid
                + " after " + restarts + " restarts: " + streamsAfter + " (before the storm: " + streamsBefore + ")");
        long storedAfterStorm = d.batches.stream().filter(b -> b.timeMs() > stormTo + 2_000)
                .mapToLong(b -> b.records()[SINGLE]).sum();
        assertTrue(storedAfterStorm > 0, "no record of stream 0 reached a batch after the storm");
        long[] healthy = OverloadChecks.finalCounters(d, ITERATOR);
        Figures.record(String.format("%s restart storm: %d restarts of stream 0 in %d ms (receiver's own count), %d "
                        + "incarnations created, %d retired; %d samples during the storm, all bounded; %s; executor "
                        + "%d: Sluice threads %d before / %d after (%s), live ManagedStream %d before / %d after, JVM "
                        + "threads %d before / %d after; %d records of stream 0 in batches after the storm; healthy "
                        + "stream 1: offered %d, stored %d, advice errors %d", version(), restarts, STORM_FOR_MS,
                incarnations, incarnations, retired, stormSamples, withinBound, p.pid, threadsBefore, threadsAfter,
                p.after.threads.stream().filter(n -> n.startsWith("sluice")).collect(Collectors.toList()),
                streamsBefore, streamsAfter, p.before.threads.size(), p.after.threads.size(), storedAfterStorm,
                healthy[0], healthy[4], healthy[3]));
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Waits for stream 0 to have a bound on its executor, lets the run go on for {@link #KILL_AFTER_BOUND_MS}, then
     * sends SIGKILL to that executor JVM (checked to be one of this run's executors first). Null if that never came.
     */
    private static Kill killReceiverExecutor(DriverProcess driver) {
        Path metrics = driver.spec().runDir().resolve("metrics");
        long deadline = System.currentTimeMillis() + 150_000;
        while (driver.isAlive() && System.currentTimeMillis() < deadline) {
            List<ExecutorJvms.Sample> samples = ExecutorJvms.samples(metrics);
            ExecutorJvms.Sample firstBound = samples.stream().filter(s -> s.streamId() == SINGLE && s.bound() > 0)
                    .min(Comparator.comparingLong(ExecutorJvms.Sample::epochMs)).orElse(null);
            if (firstBound != null && System.currentTimeMillis() >= firstBound.epochMs() + KILL_AFTER_BOUND_MS) {
                // The JVM that sampled the stream last hosts its receiver now (Spark may have moved it at start-up).
                long pid = samples.stream().filter(s -> s.streamId() == SINGLE)
                        .max(Comparator.comparingLong(ExecutorJvms.Sample::epochMs)).orElseThrow().pid();
                String cmd = ExecutorJvms.commandLine(pid);
                String executorId = ExecutorJvms.executorId(cmd);
                if (executorId.equals("?") || !cmd.contains(driver.spec().runDir().toString())) {
                    throw new IllegalStateException("pid " + pid + " is not an executor of this run: " + cmd);
                }
                long lastSample = samples.stream().filter(s -> s.pid() == pid)
                        .mapToLong(ExecutorJvms.Sample::epochMs).max().orElse(0);
                Set<Integer> hosted = samples.stream().filter(s -> s.pid() == pid && s.epochMs() >= lastSample - 2_000)
                        .map(ExecutorJvms.Sample::streamId).collect(Collectors.toCollection(TreeSet::new));
                if (!Boolean.getBoolean(NO_KILL)) {
                    ExecutorJvms.kill9(pid);
                }
                Kill k = new Kill(pid, executorId, System.currentTimeMillis(), hosted, lastSample);
                System.out.printf("[smoke] SIGKILL executor %s (pid %d), hosting streams %s%n", executorId, pid, hosted);
                return k;
            }
            StandaloneCluster.sleep(500);
        }
        return null;
    }

    /** What {@code jcmd} showed of the storm receiver's executor JVM before and after the storm. */
    static final class StormProbe {
        long pid;
        Snapshot before;
        Snapshot after;
    }

    record Snapshot(List<String> threads, Map<String, Long> sluiceInstances) {
        long managedStreams() {
            return sluiceInstances.getOrDefault("dev.sluice.runtime.ManagedStream", 0L);
        }
    }

    private static StormProbe probeStorm(DriverProcess driver) {
        Path work = driver.spec().runDir().resolve("spark-home").resolve("work");
        Path metrics = driver.spec().runDir().resolve("metrics");
        StormProbe p = new StormProbe();
        long deadline = System.currentTimeMillis() + 150_000;
        long firstStart = -1;
        while (driver.isAlive() && System.currentTimeMillis() < deadline && firstStart < 0) {
            firstStart = firstStormStart(work);
            StandaloneCluster.sleep(500);
        }
        if (firstStart < 0) {
            return null;
        }
        while (driver.isAlive() && System.currentTimeMillis() < deadline && p.pid == 0) {
            p.pid = ExecutorJvms.samples(metrics).stream().filter(s -> s.streamId() == SINGLE)
                    .mapToLong(ExecutorJvms.Sample::pid).findFirst().orElse(0);
            StandaloneCluster.sleep(500);
        }
        sleepUntil(firstStart + STORM_AFTER_MS - 3_000);
        p.before = snapshot(p.pid);
        sleepUntil(firstStart + STORM_AFTER_MS + STORM_FOR_MS + 5_000);
        p.after = snapshot(p.pid);
        return p;
    }

    private static Snapshot snapshot(long pid) {
        return new Snapshot(ExecutorJvms.threadNames(pid), ExecutorJvms.liveInstances(pid, "dev.sluice."));
    }

    private static long firstStormStart(Path work) {
        if (!Files.isDirectory(work)) {
            return -1;
        }
        try (var s = Files.walk(work, 3)) {
            for (Path f : s.filter(x -> x.getFileName().toString().equals("stdout")).toList()) {
                Matcher m = STORM_START.matcher(Files.readString(f, StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return Long.parseLong(m.group(2));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
        return -1;
    }

    private static void sleepUntil(long epochMs) {
        long left = epochMs - System.currentTimeMillis();
        if (left > 0) {
            StandaloneCluster.sleep(left);
        }
    }

    private static long sluiceThreads(List<String> names) {
        return names.stream().filter(n -> n.startsWith("sluice")).count();
    }

    private static String file(long pid) {
        return "sluice-executor-" + pid + ".csv";
    }

    private static int indexOfFirstBound(List<AgentLine> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).bound() > 0) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Counters of one executor JVM's stream: never decreasing (a restart keeps them; nothing resets them to another
     * value), in flight only between entry and hand-over, and settled exactly on the final line.
     */
    private static void assertCountersContinue(String what, List<AgentLine> lines) {
        Map<String, List<AgentLine>> byJvm = lines.stream().collect(Collectors.groupingBy(AgentLine::pidFile));
        for (List<AgentLine> jvm : byJvm.values()) {
            jvm.sort(Comparator.comparingLong(AgentLine::epochMs));
            for (int i = 1; i < jvm.size(); i++) {
                AgentLine a = jvm.get(i - 1);
                AgentLine b = jvm.get(i);
                assertTrue(b.offered() >= a.offered() && b.admitted() >= a.admitted() && b.stored() >= a.stored()
                        && b.dropped() >= a.dropped(), what + ": counters went back from " + a + " to " + b);
            }
            AgentLine last = jvm.get(jvm.size() - 1);
            assertEquals(last.offered(), last.admitted() + last.dropped(), what + ": final line " + last);
            assertEquals(last.admitted(), last.stored(), what + ": final line " + last);
        }
    }

    /** The driver's count of records Spark reported per stream keeps growing across the kill, never resets. */
    private static void assertDriverCountersContinue(OverloadRunData d, long killMs) {
        for (int s : new int[] {SINGLE, ITERATOR}) {
            final int stream = s;
            List<AgentLine> driver = d.agentLines.stream().filter(l -> "driver".equals(l.role())
                    && l.streamId() == stream).sorted(Comparator.comparingLong(AgentLine::epochMs))
                    .collect(Collectors.toList());
            assertTrue(driver.size() >= 10, "stream " + s + ": too few driver samples");
            for (int i = 1; i < driver.size(); i++) {
                assertTrue(driver.get(i).offered() >= driver.get(i - 1).offered(), "stream " + s
                        + ": the driver's record count went back: " + driver.get(i - 1) + " -> " + driver.get(i));
            }
            long atKill = driver.stream().filter(l -> l.epochMs() <= killMs).mapToLong(AgentLine::offered).max()
                    .orElse(0);
            long end = driver.get(driver.size() - 1).offered();
            assertTrue(end > atKill, "stream " + s + ": the driver counted no record after the kill");
        }
    }

    /**
     * What the run lost, measured: records the agent admitted (sum over the executor JVMs of their last sample; the
     * killed JVM's last sample is up to a second old, so records admitted in that second are not in it) against the
     * records in Spark's completed batches. Throttle discards nothing, so the difference is what Spark lost with the
     * executor (records in its BlockGenerator and in blocks not yet stored and replicated) plus the tail no batch
     * completed before the stop. It is asserted only to stay within what those can hold; it is not assumed zero.
     */
    private static String lossAccount(OverloadRunData d, int s, Kill k) {
        long[] c = OverloadChecks.finalCounters(d, s);
        long admitted = c[1];
        long spark = d.sparkStored(s);
        long receiver = d.receiverOffered(s);
        long maxBound = d.executorLines(s).stream().mapToLong(AgentLine::bound).max().orElse(0);
        // Admitted in the killed JVM after its last sample: at most its bound for that long (+ one bulk store).
        long unsampled = k.streams().contains(s) ? Math.round(maxBound * (k.atMs() - k.lastSampleMs()) / 1000.0)
                + OverloadRunner.indivisible(s) + OverloadChecks.SLACK_RECORDS : OverloadChecks.SLACK_RECORDS;
        assertTrue(spark <= admitted + unsampled, "stream " + s + ": Spark's batches hold " + spark
                + " records, the agent admitted " + admitted + " (+ at most " + unsampled + " unsampled)");
        // Lost with the executor: a block interval being filled plus blocks queued for storage (one second of the
        // bound); the tail at the stop: as in OverloadChecks, five seconds of the bound.
        long allowed = 6 * Math.max(maxBound, 100) + OverloadRunner.indivisible(s) + OverloadChecks.SLACK_RECORDS;
        long missing = admitted - spark;
        assertTrue(missing <= allowed, "stream " + s + ": " + missing + " admitted records are in no batch (allowed "
                + allowed + ")");
        assertEquals(0, c[2], "stream " + s + ": throttle dropped records");
        return String.format("stream %d%s: receiver offered %d (own count), agent admitted %d (dropped %d), Spark's "
                        + "batches %d: %d admitted records in no batch (the kill's loss and the tail at the stop; up to %d "
                        + "admitted after the killed JVM's last sample are not in the agent's count)", s,
                k.streams().contains(s) ? " (killed)" : "", receiver, admitted, c[2], spark, missing,
                k.streams().contains(s) ? unsampled : 0);
    }

    private static long count(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
