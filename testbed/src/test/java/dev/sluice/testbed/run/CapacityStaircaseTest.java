package dev.sluice.testbed.run;

import dev.sluice.testbed.report.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staircase decision on synthetic batches of a job whose processing time is 80 ms + 0.15 ms per record (so its
 * maximum sustainable rate is 920 / 0.15 = 6133 records/s), which gets 30 % slower per record once heavily overloaded
 * (more than an interval behind). Not at the first sign of queueing: in 7 of the 9 probes recorded on this machine
 * (RecordedProbesTest) the first failed step's scheduling delay stayed under 0.25 s and its batches cost what the
 * steps below them did.
 */
class CapacityStaircaseTest {

    static final double OVERHEAD_MS = 80, COST_MS = 0.15, TRUE_CAPACITY = (1000 - OVERHEAD_MS) / COST_MS;
    static final double ESTIMATE = 4635; // the old overloaded probe's figure on the real machine

    /** One batch per second of the staircase; a step above capacity falls behind (scheduling delay grows). */
    static List<CapacityStaircase.Batch> staircaseRun(double overheadMs, double costMs) {
        return staircaseRun(overheadMs, costMs, 1.0);
    }

    /** ... with the source delivering only {@code delivered} × each step's nominal rate. */
    static List<CapacityStaircase.Batch> staircaseRun(double overheadMs, double costMs, double delivered) {
        return staircaseRun(overheadMs, costMs, delivered, 1000);
    }

    /** ... with records costing 30 % more once the backlog exceeds {@code heavyBacklogMs}. */
    static List<CapacityStaircase.Batch> staircaseRun(double overheadMs, double costMs, double delivered,
                                                      double heavyBacklogMs) {
        Random rnd = new Random(1);
        List<CapacityStaircase.Batch> out = new ArrayList<>();
        double backlogMs = 0;
        // Warm-up: cold JVMs, three times slower per record and falling behind; must not count.
        for (long t = CapacityStaircase.IDLE_MS + 1000; t <= CapacityStaircase.IDLE_MS + CapacityStaircase.WARM_UP_MS;
             t += 1000) {
            long records = Math.round(CapacityStaircase.WARM_UP_RATE * ESTIMATE);
            out.add(new CapacityStaircase.Batch(t, records, overheadMs + 3 * costMs * records, 1500));
        }
        for (int s = 0; s < CapacityStaircase.STEPS.length; s++) {
            double rate = Math.round(CapacityStaircase.STEPS[s] * ESTIMATE);
            for (int i = 1; i <= CapacityStaircase.STEP_MS / 1000; i++) {
                long t = CapacityStaircase.IDLE_MS + CapacityStaircase.WARM_UP_MS + s * CapacityStaircase.STEP_MS
                        + i * 1000L;
                long records = Math.round(delivered * rate * (0.97 + 0.06 * rnd.nextDouble()));
                double perRecord = backlogMs > heavyBacklogMs ? costMs * 1.3 : costMs;
                double p = (overheadMs + perRecord * records) * (0.96 + 0.08 * rnd.nextDouble());
                out.add(new CapacityStaircase.Batch(t, records, p, 20 + backlogMs));
                backlogMs = Math.max(0, backlogMs + p - 1000);
            }
        }
        return out;
    }

    @Test
    void placesTheSustainableRateWhereTheBracketingStepsCrossTheInterval() {
        CapacityStaircase.Result r = CapacityStaircase.analyse(staircaseRun(OVERHEAD_MS, COST_MS), ESTIMATE, 1000);
        // The steps' rates are what their batches held: the nominal rate within the run's ±3 % noise.
        assertEquals(1.2 * ESTIMATE, r.highestKeptUp(), 0.02 * ESTIMATE, r.describe());
        assertEquals(1.35 * ESTIMATE, r.firstFailed(), 0.02 * ESTIMATE, r.describe());
        assertEquals(CapacityStaircase.Basis.CROSSING, r.basis(), r.describe());
        assertTrue(r.trusted(), r.describe());
        assertEquals(OVERHEAD_MS, r.overheadMs(), 25, r.describe());
        assertEquals(COST_MS, r.costMsPerRecord(), 0.01, r.describe());
        assertEquals(TRUE_CAPACITY, r.capacity(), 0.03 * TRUE_CAPACITY, r.describe());
        assertEquals(6, r.steps().stream().filter(CapacityStaircase.Step::keptUp).count());
        assertEquals(8, r.steps().size(), "the staircase stops at the step confirming the failure");
        assertFalse(r.steps().get(7).keptUp());
    }

    @Test
    void anIsolatedFailedStepIsABurstOfOtherLoadNotTheCapacity() {
        // The 0.9x step is hit by someone else's load (processing 1.2 s, queueing); the steps above keep up again.
        List<CapacityStaircase.Batch> run = new ArrayList<>();
        long from = CapacityStaircase.IDLE_MS + CapacityStaircase.WARM_UP_MS + 2 * CapacityStaircase.STEP_MS;
        for (CapacityStaircase.Batch b : staircaseRun(OVERHEAD_MS, COST_MS)) {
            boolean burst = b.tMs() > from && b.tMs() <= from + CapacityStaircase.STEP_MS;
            run.add(burst ? new CapacityStaircase.Batch(b.tMs(), b.records(), 1200, 700) : b);
        }
        CapacityStaircase.Result r = CapacityStaircase.analyse(run, ESTIMATE, 1000);
        assertFalse(r.steps().get(2).keptUp());
        assertEquals(1.2 * ESTIMATE, r.highestKeptUp(), 0.02 * ESTIMATE, r.describe());
        assertEquals(TRUE_CAPACITY, r.capacity(), 0.03 * TRUE_CAPACITY, r.describe());
        // ... but steps that contradict each other mean the machine's speed changed during the probe: the probe
        // says its figure cannot be trusted (it then measures once more, or stops).
        assertFalse(r.trusted(), r.describe());
        assertEquals(1, r.doubts().size(), r.describe());
        assertTrue(r.doubts().get(0).startsWith("the step at " + Math.round(r.steps().get(2).rate())
                + "/s did not keep up while the higher one at"), r.doubts().get(0));
    }

    @Test
    void stepsAreJudgedByWhatTheirBatchesHeldNotByTheNominalRate() {
        // The source delivers only 80 % of each step's nominal rate: the job keeps up to the nominal 1.5 x step,
        // which held 0.8 x 1.5 x E records/s; 1.7 x E (0.8 x 1.7 x E = 6304/s > 6133/s) does not keep up.
        CapacityStaircase.Result r = CapacityStaircase.analyse(staircaseRun(OVERHEAD_MS, COST_MS, 0.8), ESTIMATE,
                1000);
        assertEquals(0.8 * 1.5 * ESTIMATE, r.highestKeptUp(), 0.02 * ESTIMATE, r.describe());
        assertEquals(0.8 * 1.7 * ESTIMATE, r.firstFailed(), 0.02 * ESTIMATE, r.describe());
        assertEquals(Math.round(1.5 * ESTIMATE), r.steps().get(7).offered(), 1e-9);
        assertTrue(r.capacity() < 1.02 * TRUE_CAPACITY, r.describe());
    }

    @Test
    void aClusterAlreadyBehindAtTheFirstStepIsNotTrusted() {
        // Someone else's load during the warm-up left 3 s of scheduling delay at the first step (and it drains).
        long firstStepEnd = CapacityStaircase.IDLE_MS + CapacityStaircase.WARM_UP_MS + CapacityStaircase.STEP_MS;
        List<CapacityStaircase.Batch> run = new ArrayList<>();
        for (CapacityStaircase.Batch b : staircaseRun(OVERHEAD_MS, COST_MS)) {
            boolean first = b.tMs() > firstStepEnd - CapacityStaircase.STEP_MS && b.tMs() <= firstStepEnd;
            run.add(first ? new CapacityStaircase.Batch(b.tMs(), b.records(), b.processingMs(),
                    3000 - (b.tMs() % CapacityStaircase.STEP_MS) / 100.0) : b);
        }
        CapacityStaircase.Result r = CapacityStaircase.analyse(run, ESTIMATE, 1000);
        assertTrue(r.steps().get(0).keptUp(), "draining is not failing: " + r.describe());
        assertFalse(r.trusted(), r.describe());
        assertTrue(r.doubts().get(0).startsWith("scheduling delay already"), r.doubts().get(0));
        assertTrue(CapacityProbe.untrusted(r, java.nio.file.Paths.get("/tmp/probe")).contains("--capacity N"));
    }

    @Test
    void theOldOverloadedMeasureReadsFarBelowTheSustainableRate(@TempDir Path dir) throws Exception {
        // The same job, overloaded at 8000/s from the start as the old probe did: per-record cost rises by 30 %.
        StringBuilder csv = new StringBuilder("batchTimeMs,records,processingDelayMs,schedulingDelayMs\n");
        for (int i = 1; i <= 20; i++) {
            csv.append(i * 1000).append(",8000,").append(OVERHEAD_MS + COST_MS * 1.3 * 8000).append(",")
                    .append(i * 700).append('\n');
        }
        Files.writeString(dir.resolve("b.csv"), csv);
        double old = CapacityProbe.overloadedEstimate(Csv.read(dir.resolve("b.csv")));
        double staircase = CapacityStaircase.analyse(staircaseRun(OVERHEAD_MS, COST_MS), ESTIMATE, 1000).capacity();
        assertTrue(old < 0.85 * TRUE_CAPACITY, "old " + old);
        assertTrue(Math.abs(staircase - TRUE_CAPACITY) < 0.03 * TRUE_CAPACITY, "staircase " + staircase);
    }

    @Test
    void growingSchedulingDelayFailsAStepEvenWhenItsMeanProcessingLooksFine() {
        List<CapacityStaircase.Batch> in = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            in.add(new CapacityStaircase.Batch(i * 1000L, 5000, 900, i * 200));
        }
        assertFalse(CapacityStaircase.judge(5000, in, 8, 1000).keptUp());
        in.replaceAll(b -> new CapacityStaircase.Batch(b.tMs(), b.records(), b.processingMs(), 30));
        assertTrue(CapacityStaircase.judge(5000, in, 8, 1000).keptUp());
        assertFalse(CapacityStaircase.judge(5000, in.subList(0, 4), 8, 1000).keptUp(), "batches missing");
        // A backlog inherited from the warm-up that this step drains is not this step's failure.
        in.replaceAll(b -> new CapacityStaircase.Batch(b.tMs(), b.records(), 800, 4000 - b.tMs() / 5));
        assertTrue(CapacityStaircase.judge(5000, in, 8, 1000).keptUp());
    }

    @Test
    void aHeavilyOverloadedFailedStepPullsTheCrossingDownNeverAboveTheTrueRate() {
        // Records cost 30 % more from the first sign of a backlog: the failed step's batches (≈ 1.25 s) overstate
        // what a batch at that rate costs when the job keeps up, so the crossing reads low, within the bracket.
        CapacityStaircase.Result r = CapacityStaircase.analyse(staircaseRun(OVERHEAD_MS, COST_MS, 1.0, 0), ESTIMATE,
                1000);
        assertEquals(CapacityStaircase.Basis.CROSSING, r.basis(), r.describe());
        assertTrue(r.capacity() < 0.97 * TRUE_CAPACITY, r.describe());
        assertTrue(r.capacity() > r.highestKeptUp(), r.describe());
    }

    @Test
    void aFailedStepThatDidNotProcessSlowerSaysNothingAboutTheCrossing() {
        CapacityStaircase.Step keptUp = new CapacityStaircase.Step(5000, 5000, true, 7, 900, 5);
        // Failed by its scheduling delay alone (someone else's load), its batches well inside the interval.
        CapacityStaircase.Step byDelay = new CapacityStaircase.Step(5500, 5500, false, 7, 910, 600);
        assertEquals(5000, CapacityStaircase.crossing(keptUp, byDelay, 1000), 1e-9);
        // Failed at 0.97 B: the interval would be crossed beyond it, and a rate not kept up caps the figure.
        CapacityStaircase.Step justAbove = new CapacityStaircase.Step(5500, 5500, false, 7, 970, 60);
        assertEquals(5500, CapacityStaircase.crossing(keptUp, justAbove, 1000), 1e-9);
        CapacityStaircase.Step slower = new CapacityStaircase.Step(5500, 5500, false, 7, 1100, 300);
        assertEquals(5000 + 500 * 100 / 200.0, CapacityStaircase.crossing(keptUp, slower, 1000), 1e-9);
    }

    @Test
    void aFitOutsideTheBandFallsBackToTheHighestStepKeptUp() {
        // Processing time independent of records (a per-batch cost only): the fit has no usable slope.
        List<CapacityStaircase.Batch> flat = staircaseRun(600, 0.0);
        CapacityStaircase.Result r = CapacityStaircase.analyse(flat, ESTIMATE, 1000);
        assertEquals(CapacityStaircase.Basis.STEP, r.basis(), r.describe());
        assertEquals(r.highestKeptUp(), r.capacity(), 1e-9);
        assertTrue(Double.isNaN(r.firstFailed()), "every step kept up: " + r.describe());
    }

    @Test
    void noStepKeptUpGivesNoCapacity() {
        CapacityStaircase.Result r = CapacityStaircase.analyse(staircaseRun(OVERHEAD_MS, 0.5), ESTIMATE, 1000);
        assertTrue(r.capacity() < 0, r.describe());
    }
}
