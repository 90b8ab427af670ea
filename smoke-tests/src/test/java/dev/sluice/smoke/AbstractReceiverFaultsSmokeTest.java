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
 * One subclass per Spark line ({@link ReceiverFaults35SmokeTest}, {@link ReceiverFaults41SmokeTest}).
 */
abstract class AbstractReceiverFaultsSmokeTest extends OneSparkLineSmokeTest {

    static final int KILL_RUN_SECONDS = 80;
    /** The kill comes this long after stream 0 first had a bound on its executor (the estimator at work by then). */
    static final long KILL_AFTER_BOUND_MS = 15_000;
    static final int STORM_RUN_SECONDS = 50;
    static final long STORM_AFTER_MS = 15_000;
    static final long STORM_EVERY_MS = 200;
    static final long STORM_FOR_MS = 10_000;
    /** {@code -Dsluice.smoke.faults.noKill=true}: everything but the SIGKILL, to see the kill test fail without it. */
    static final String NO_KILL = "sluice.smoke.faults.noKill";
    static final Pattern STORM_START = Pattern.compile("restart storm: stream 0 start (\\d+) at (\\d+)");

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
        // The job goes on: batches keep completing after the kill, and at the end each is processed within the batch
        // interval (a backlog the kill built, recomputed tasks on a cold replacement executor, drains).
        List<Batch> afterKill = d.batches.stream().filter(b -> b.timeMs() > k.atMs()).collect(Collectors.toList());
        assertTrue(afterKill.size() >= 10, "only " + afterKill.size() + " batches completed after the kill: "
                + OverloadChecks.delays(d.batches));
        List<Batch> last = afterKill.subList(afterKill.size() - 5, afterKill.size());
        assertTrue(last.stream().allMatch(b -> b.processingMs() < OverloadRunner.BATCH_MS), "the job does not keep "
                + "up at the end: " + OverloadChecks.delays(last));
        long peak = afterKill.stream().mapToLong(Batch::schedulingMs).max().orElse(0);
        fig.append(String.format("%n    %d batches completed after the kill; scheduling delay peak %d ms, last %d ms; "
                        + "processing of the last 5 batches %s ms", afterKill.size(), peak,
                afterKill.get(afterKill.size() - 1).schedulingMs(),
                last.stream().map(b -> String.valueOf(b.processingMs())).collect(Collectors.joining("/"))));
        for (int s : k.streams()) {
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
        // Spark's driver registered every start (each one is a StreamingListener onReceiverStarted, on which Sluice's
        // driver re-sends its bounds), and no stop failed in Spark.
        long registered = count(d.run.driverOutput(), "Registered receiver for stream 0 from");
        assertTrue(registered >= starts.size(), "the driver registered stream 0's receiver " + registered
                + " times, it started " + starts.size() + " times");
        assertEquals(0, count(executors, "Error stopping receiver"), "Spark failed to stop the receiver");
        long rateUpdates = count(executors, "Received a new rate limit");

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
                        + "incarnations created, %d retired, %d registrations on the driver, %d rate updates received "
                        + "by the executors; %d samples during the storm, all bounded; %s; executor "
                        + "%d: Sluice threads %d before / %d after (%s), live ManagedStream %d before / %d after, JVM "
                        + "threads %d before / %d after; %d records of stream 0 in batches after the storm; healthy "
                        + "stream 1: offered %d, stored %d, advice errors %d", version(), restarts, STORM_FOR_MS,
                incarnations, retired, registered, rateUpdates, stormSamples, withinBound, p.pid, threadsBefore, threadsAfter,
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
                System.out.printf("[smoke] %s executor %s (pid %d), hosting streams %s%n",
                        Boolean.getBoolean(NO_KILL) ? "NOT killed (" + NO_KILL + "):" : "SIGKILL", executorId, pid,
                        hosted);
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
            return sluiceInstances.getOrDefault("dev.sluice.receiver.executor.ManagedStream", 0L);
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
     * What the kill lost of a stream it hosted, measured against Spark's own count. Spark counts a batch's records from
     * the blocks reported to the driver before the batch was generated, so every block the killed JVM reported is in a
     * batch at most one interval after the kill, and those batches hold nothing of the restarted receiver when it began
     * after them. Against that: the records the agent admitted in the JVMs that served the stream before the kill
     * (their last samples; the killed JVM's is up to a second old, so what it admitted after it is not counted, and the
     * loss lies between the two figures returned). Throttle discards nothing, so what was admitted and never reported
     * is Spark's loss with the executor: the block being filled and the blocks queued for storage (Spark replicates a
     * block only once stored: MEMORY_AND_DISK_SER_2). Asserted only to stay within what those queues can hold (Spark's
     * queue of blocks to push holds 10 blocks, two seconds at this block interval): measured, not assumed zero.
     */
    private static String lossAccount(OverloadRunData d, int s, Kill k) {
        long cutoff = k.atMs() + OverloadRunner.BATCH_MS;
        long newStart = d.executorLines(s).stream().filter(l -> l.epochMs() > k.atMs()
                && !l.pidFile().equals(file(k.pid()))).mapToLong(AgentLine::epochMs).min().orElse(Long.MAX_VALUE) - 1000;
        long spark = d.batches.stream().filter(b -> b.timeMs() <= cutoff).mapToLong(b -> b.records()[s]).sum();
        long admitted = d.executorLines(s).stream().filter(l -> l.epochMs() <= k.atMs())
                .collect(Collectors.groupingBy(AgentLine::pidFile,
                        Collectors.maxBy(Comparator.comparingLong(AgentLine::epochMs))))
                .values().stream().mapToLong(o -> o.orElseThrow().admitted()).sum();
        long bound = d.maxBound(s, k.lastSampleMs() - 1000, k.atMs());
        long unsampled = Math.round(bound * (k.atMs() - k.lastSampleMs()) / 1000.0) + OverloadRunner.indivisible(s);
        long lostAtLeast = admitted - spark;
        long lostAtMost = admitted + unsampled - spark;
        long queues = Math.round(bound * 2.2) + OverloadRunner.indivisible(s) + OverloadChecks.SLACK_RECORDS;
        assertTrue(newStart < cutoff || lostAtMost >= -OverloadChecks.SLACK_RECORDS, "stream " + s + ": Spark counted " + spark
                + " records up to one interval after the kill, more than the agent admitted before it (" + admitted
                + " + at most " + unsampled + " unsampled)");
        assertTrue(lostAtLeast <= queues, "stream " + s + ": " + lostAtLeast + " records the agent admitted before the "
                + "kill never reached Spark's batches, more than the killed executor's block queues hold (" + queues
                + " at " + bound + "/s)");
        return String.format("stream %d: before the kill the agent admitted %d (+ up to %d after the killed JVM's last "
                        + "sample), Spark's batches up to one interval after it hold %d: lost with the executor %d..%d "
                        + "records (bound %d/s)%s", s, admitted, unsampled, spark, Math.max(0, lostAtLeast),
                Math.max(0, lostAtMost), bound, newStart < cutoff ? "; the restarted receiver began before that "
                        + "batch, so it may hold some of its records" : "");
    }

    private static long count(String text, String what) {
        long n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }
}
