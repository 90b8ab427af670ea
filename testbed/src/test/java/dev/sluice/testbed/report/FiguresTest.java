package dev.sluice.testbed.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The figures' definitions (docs/testbed.md) on a hand-made run whose answers are worked out in the comments. */
class FiguresTest {

    static final long S = 1_000_000_000L; // scenario start, epoch ms

    /** idle 1 s; hold 10 s; spike (cost 8) 11-16 s; hold 10 s: load ends at 26 s. Capacity 1000/s at cost 7. */
    static Path run(Path dir, double[] sched, long[] records, double[] lag, int lastBatch) throws IOException {
        double[] proc = new double[sched.length];
        java.util.Arrays.fill(proc, 0.5);
        return run(dir, "idle 1s\nhold 10s 1x cost 7\nhold 5s 1x cost 8\nhold 10s 1x cost 7\n", "", sched, proc,
                records, lag, lastBatch);
    }

    /**
     * A run of {@code scenario} (capacity 1000/s, stop at 28 s) whose batch at t s (1..lastBatch) waited sched[t],
     * took proc[t], held records[t] records sent evenly over (t − lag[t], t].
     */
    static Path run(Path dir, String scenario, String moreProperties, double[] sched, double[] proc, long[] records,
                    double[] lag, int lastBatch) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("scenario.scn"), scenario);
        Files.writeString(dir.resolve("run.properties"), "scenario=syn\nmode=m\ncapacity=1000\nbatchMs=1000\n"
                + "startEpochMs=" + S + "\nstopEpochMs=" + (S + 28_000) + "\nexitCode=0\ntimedOut=false\n"
                + moreProperties);
        StringBuilder b = new StringBuilder(
                "batchTimeMs,submissionMs,processingStartMs,processingEndMs,records,records0,records1,"
                        + "schedulingDelayMs,processingDelayMs\n");
        StringBuilder w = new StringBuilder("batchTimeMs,records,minSendMs,maxSendMs,doneMs\n");
        for (int t = 1; t <= lastBatch; t++) {
            long bt = S + t * 1000L;
            long schedMs = Math.round(sched[t] * 1000);
            long procMs = Math.round(proc[t] * 1000);
            long end = bt + schedMs + procMs;
            b.append(bt).append(',').append(bt).append(',').append(bt + schedMs).append(',').append(end).append(',')
                    .append(records[t]).append(',').append(records[t] / 2).append(',')
                    .append(records[t] - records[t] / 2).append(',').append(schedMs).append(',').append(procMs)
                    .append('\n');
            w.append(bt).append(',').append(records[t]).append(',').append(bt - Math.round(lag[t] * 1000)).append(',')
                    .append(bt).append(',').append(end).append('\n');
        }
        Files.writeString(dir.resolve("batches.csv"), b);
        Files.writeString(dir.resolve("work.csv"), w);
        Files.writeString(dir.resolve("source.csv"), "epochMs,offsetMs,feed,intended,sent,dropped,connected\n"
                + (S + 1000) + ",1000,socket,500,450,50,1\n" + (S + 1000) + ",1000,bulk,500,500,0,1\n"
                + (S + 2000) + ",2000,socket,500,480,20,1\n");
        String h = "epochMs,role,streamId,strategy,bound,offered,admitted,dropped,throttledNanos,guardLevel,"
                + "guardFactor,heapUsed,heapMax,heapAfterGc,storageFree,adviceErrors\n";
        Files.writeString(dir.resolve("sluice-executor-11.csv"), h
                + (S + 1000) + ",executor,0,drop,900,100,90,10,0,OK,1.000,1,2,3,4,0\n"
                + (S + 2000) + ",executor,0,drop,900,300,230,70,0,OK,1.000,1,2,3,4,0\n");
        Files.writeString(dir.resolve("sluice-executor-12.csv"), h
                + (S + 2000) + ",executor,1,drop,900,100,95,5,0,OK,1.000,1,2,3,4,0\n");
        Files.writeString(dir.resolve("sluice-driver-10.csv"), h
                + (S + 2000) + ",driver,0,drop,900,100,-1,-1,-1,OK,1.000,1,2,3,4,0\n");
        long mb = 1024 * 1024;
        Files.writeString(dir.resolve("memory-0.csv"), "epochMs,executorId,heapUsed,heapMax,heapAfterGc,storageUsed,"
                + "storageMax\n" + (S + 1000) + ",0," + 100 * mb + "," + 512 * mb + "," + 40 * mb + "," + 30 * mb + "," + 127 * mb + "\n"
                + (S + 5000) + ",0," + 300 * mb + "," + 512 * mb + "," + 90 * mb + "," + 60 * mb + "," + 127 * mb
                + "\n");
        Files.writeString(dir.resolve("events.csv"), "epochMs,event,streamId,detail\n");
        return dir;
    }

    static final double[] SCHED = new double[27];
    static final long[] RECORDS = new long[27];
    static final double[] LAG = new double[27];

    static {
        double[] before = {2.0, 1.5, 0.4, 1.2, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2}; // t = 2..11
        double[] after = {0.5, 1.5, 2.5, 3.5, 4.5, 3.0, 1.5, 0.8}; // t = 12..19
        SCHED[1] = 0.1;
        for (int t = 2; t <= 26; t++) {
            SCHED[t] = t <= 11 ? before[t - 2] : t <= 19 ? after[t - 12] : 0.1;
            RECORDS[t] = 1000;
            LAG[t] = 1.0;
        }
        RECORDS[2] = 3000;
        RECORDS[3] = 2000;
        RECORDS[4] = 900;  // first batch at or below the steady mean (k0)
        RECORDS[5] = 1300; // largest after k0: overshoot 30 %
        RECORDS[23] = 1100;
        RECORDS[24] = 900;
        LAG[19] = 2.5;     // scheduling fine, but its oldest record waited 2.5 batches
        LAG[20] = 1.5;
    }

    @Test
    void figuresFollowTheirDefinitions(@TempDir Path tmp) throws IOException {
        Figures f = Figures.of(RunData.load("m", run(tmp.resolve("m"), SCHED, RECORDS, LAG, 26)));
        // Steady from start: the last batch at or over 1 s before the spike (11 s) is t=5; steady from t=6.
        assertEquals(5.0, f.timeToSteadyFromStartS, 1e-9, "t=6 minus the load start (1 s)");
        assertEquals(4, f.batchesToSteadyFromStart);
        // After the spike (ends at 16 s): scheduling delay under 1 s from t=19, but t=19's lag (2.5 s) grew by more
        // than 0.5 B over the 5 batches since t=14 (1 s): data age steady, and lag within 2 s, only from t=20.
        assertEquals(4.0, f.timeToSteadyAfterSpikeS, 1e-9);
        assertEquals(4.0, f.timeToRecoverAfterSpikeS, 1e-9);
        // Steady window = second half of the last phase: t in (21, 26].
        assertEquals(0.1, f.steadySchedulingDelayS, 1e-9);
        assertEquals(Math.sqrt(4000) / 1000, f.oscillation, 1e-9, "CV of 1000,1100,900,1000,1000");
        assertEquals(0.30, f.overshoot, 1e-9);
        assertEquals(4.5, f.peakSchedulingDelayS, 1e-9);
        // Completed in (21, 26] by completion time: batches t=21..25, 5000 records in 5 s, capacity 1000/s.
        assertEquals(1000, f.processedPerS, 1e-9);
        assertEquals(1.0, f.goodput, 1e-9);
        assertEquals(90, f.peakHeapAfterGcMb, 1e-9);
        assertEquals(212, f.minFreeHeapMb, 1e-9);
        assertEquals(67, f.minFreeStorageMb, 1e-9, "127 MB of storage memory, 60 MB used at the fullest");
        assertEquals(75, f.sluiceDropped, "last cumulative value per JVM and stream: 70 + 5");
        assertEquals(70, f.sourceDropped);
        assertEquals(145, f.recordsLost());
        assertEquals("ok", f.status);
        assertEquals(500, f.steadyRate0, 1e-9);
    }

    @Test
    void lossesBeforeTheLimitOverloadsAreTheStartsNotTheOverloads(@TempDir Path tmp) throws IOException {
        double[] proc = new double[27];
        java.util.Arrays.fill(proc, 0.5);
        // Capacity 1000/s: the ideal sheds only from 1.5 s on (2x for 10 s: 10 000 records).
        Path dir = run(tmp.resolve("m"), "idle 1s\nhold 500ms 0.5x cost 7\nhold 10s 2x cost 7\n", "", SCHED, proc,
                RECORDS, LAG, 11);
        Figures f = Figures.of(RunData.load("m", dir));
        assertEquals(1.5, f.probeLimit.overloadFromS(), 1e-9);
        assertEquals(10_000, f.probeLimit.minLoss(), 20);
        // By 1.5 s: the source's second ending at 1 s (50) and the first executor's sample at 1 s (10); its later
        // samples (70 cumulative), the other executor's (5) and the source's second ending at 2 s (20) come after.
        assertEquals(60, f.lostBeforeOverloadProbe);
        assertEquals(145, f.recordsLost());
        assertEquals(85, f.lostFromOverloadProbe());
        // Without an overload nothing is set apart: every loss counts against the minimum (0).
        Figures calm = Figures.of(RunData.load("c", run(tmp.resolve("c"), "idle 1s\nhold 10s 0.5x cost 7\n", "",
                SCHED, proc, RECORDS, LAG, 11)));
        assertTrue(Double.isNaN(calm.probeLimit.overloadFromS()));
        assertEquals(0, calm.lostBeforeOverloadProbe);
        assertEquals(145, calm.lostFromOverloadProbe());
    }

    @Test
    void lossesAfterTheSpikesEndAreCountedApart(@TempDir Path tmp) throws IOException {
        // Spike 11-16 s. A third executor's stream had dropped 40 by 15 s and 100 by 18 s: 60 of them after the end.
        Path dir = run(tmp.resolve("m"), SCHED, RECORDS, LAG, 26);
        String h = "epochMs,role,streamId,strategy,bound,offered,admitted,dropped,throttledNanos,guardLevel,"
                + "guardFactor,heapUsed,heapMax,heapAfterGc,storageFree,adviceErrors\n";
        Files.writeString(dir.resolve("sluice-executor-13.csv"), h
                + (S + 15_000) + ",executor,2,drop,900,100,60,40,0,OK,1.000,1,2,3,4,0\n"
                + (S + 18_000) + ",executor,2,drop,900,300,200,100,0,OK,1.000,1,2,3,4,0\n");
        Figures f = Figures.of(RunData.load("m", dir));
        assertEquals(245, f.recordsLost(), "source 70, executors 70 + 5 + 100");
        assertEquals(60, f.lostAfterSpike, 0);
        // Without a spike there is no "after".
        double[] proc = new double[27];
        java.util.Arrays.fill(proc, 0.5);
        Figures calm = Figures.of(RunData.load("c", run(tmp.resolve("c"), "idle 1s\nhold 10s 0.5x cost 7\n", "",
                SCHED, proc, RECORDS, LAG, 11)));
        assertTrue(Double.isNaN(calm.lostAfterSpike));
    }

    @Test
    void batchesThatNeverCompletedCountAsLateNotAsMissing(@TempDir Path tmp) throws IOException {
        double[] sched = new double[27];
        java.util.Arrays.fill(sched, 0.1);
        long[] records = new long[27];
        java.util.Arrays.fill(records, 1000);
        double[] lag = new double[27];
        java.util.Arrays.fill(lag, 1.0);
        // Only batches up to t=20 completed; the stop came at 28 s.
        RunData d = RunData.load("m", run(tmp.resolve("m"), sched, records, lag, 20));
        RunData.Batch t21 = d.batches.stream().filter(b -> Math.abs(b.t() - 21) < 1e-9).findFirst().orElseThrow();
        assertTrue(t21.pending());
        assertEquals(7.0, t21.schedulingDelayS(), 1e-9, "waited at least from 21 s to the stop at 28 s");
        Figures f = Figures.of(d);
        assertEquals(Double.POSITIVE_INFINITY, f.timeToSteadyAfterSpikeS);
        assertEquals(Double.POSITIVE_INFINITY, f.timeToRecoverAfterSpikeS);
        assertEquals(7.0, f.peakSchedulingDelayS, 1e-9, "the oldest pending batch (21 s) waited until the stop");
    }

    @Test
    void receiversSharingOneExecutorAreFlagged() {
        assertEquals("1", Figures.receiversShareOneExecutor(java.util.List.of("receiver-started 0 10.0.0.1 executor 1",
                "receiver-started 1 10.0.0.1 executor 1")));
        assertEquals(null, Figures.receiversShareOneExecutor(java.util.List.of(
                "receiver-started 0 10.0.0.1 executor 1", "receiver-started 1 10.0.0.1 executor 0")));
        assertEquals("0", Figures.receiversShareOneExecutor(java.util.List.of(
                "receiver-started 0 10.0.0.1 executor 1", "receiver-started 0 10.0.0.1 executor 0",
                "receiver-started 1 10.0.0.1 executor 0")), "latest placement per stream counts");
    }

    @Test
    void executorLostBeforeTheStopIsReported(@TempDir Path tmp) throws IOException {
        Path dir = run(tmp.resolve("m"), SCHED, RECORDS, LAG, 26);
        Files.writeString(dir.resolve("events.csv"), "epochMs,event,streamId,detail\n"
                + (S + 9000) + ",executor-removed,1,Command exited with code 52\n"
                + (S + 29_000) + ",executor-removed,0,Command exited with code 50\n");
        Figures f = Figures.of(RunData.load("m", dir));
        assertEquals("executor-removed 1 Command exited with code 52", f.status);
    }
}
