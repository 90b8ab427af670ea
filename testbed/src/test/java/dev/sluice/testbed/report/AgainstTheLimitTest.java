package dev.sluice.testbed.report;

import dev.sluice.testbed.scenario.ScenarioParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What users feel (data age), honest goodput, and the physical limit of a run (docs/testbed.md, "Figures" and "Against
 * the limit"), on hand-made runs whose answers are worked out in the comments. Capacity 1000/s at cost 7.
 */
class AgainstTheLimitTest {

    static final String SPIKE = "idle 1s\nhold 10s 1x cost 7\nhold 5s 1x cost 8\nhold 10s 1x cost 7\n";

    static double[] fill(double v) {
        double[] a = new double[27];
        Arrays.fill(a, v);
        return a;
    }

    static long[] records(long v) {
        long[] a = new long[27];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void dataAgeSpreadsEachBatchsRecordsBetweenItsOldestAndNewestAge(@TempDir Path tmp) throws IOException {
        // Every batch: waited 0.1 s, took 0.5 s, so its newest record (sent at t) is 0.6 s old at completion and its
        // oldest (sent at t - lag) 0.6 + lag. Lag 1 s, but 3 s for the spike's batches (t = 12..16).
        double[] lag = fill(1.0);
        for (int t = 12; t <= 16; t++) {
            lag[t] = 3.0;
        }
        // Batches up to t = 20 completed; the stop came at 28 s: t = 21..28 pending.
        RunData d = RunData.load("m", FiguresTest.run(tmp.resolve("m"), SPIKE, "", fill(0.1), fill(0.5),
                records(1000), lag, 20));
        Figures f = Figures.of(d);
        // Phase 2 (hold, t in (1, 11]): ages uniform on [0.6, 1.6]: p50 1.1, p95 1.55, max 1.6.
        DataAge hold = f.agePerPhase.get(1);
        assertEquals(1.1, hold.p50S(), 1e-4);
        assertEquals(1.55, hold.p95S(), 1e-4);
        assertEquals(1.6, hold.maxS(), 1e-9);
        assertEquals(10_000, hold.records());
        // Phase 3 (spike, t in (11, 16]): uniform on [0.6, 3.6]: p50 2.1, p95 3.45, max 3.6.
        DataAge spike = f.agePerPhase.get(2);
        assertEquals(2.1, spike.p50S(), 1e-4);
        assertEquals(3.45, spike.p95S(), 1e-4);
        assertEquals(3.6, spike.maxS(), 1e-9);
        // Last phase: t = 17..20 completed (ages up to 1.6), t = 21 pending since 21 s: at least 7 s old at the stop.
        assertEquals(7.0, f.agePerPhase.get(3).maxS(), 1e-9);
        assertEquals(4000, f.agePerPhase.get(3).records());
        // Whole run: 15 000 records on [0.6, 1.6] and 5 000 on [0.6, 3.6]; the median age a solves
        // 15 000 (a - 0.6) + 5 000 (a - 0.6) / 3 = 10 000, a = 0.6 + 10 000 / 16 666.7 = 1.2.
        assertEquals(1.2, f.age.p50S(), 1e-4);
        assertEquals(7.0, f.age.maxS(), 1e-9);
    }

    @Test
    void aThrottleWhoseRecordsAgeIsNotSteadyEvenWithSmallSchedulingDelay(@TempDir Path tmp) throws IOException {
        // Spark's scheduling delay stays at 0.1 s throughout, but after the spike the records wait longer and longer
        // in front of the receiver (lag + 1 s per batch, t = 17..21), then stay 6 s old (no longer growing).
        double[] lag = fill(1.0);
        for (int t = 17; t <= 26; t++) {
            lag[t] = Math.min(6.0, 1.0 + (t - 16));
        }
        Figures f = Figures.of(RunData.load("m", FiguresTest.run(tmp.resolve("m"), SPIKE, "", fill(0.1), fill(0.5),
                records(1000), lag, 26)));
        // Growth over 5 batches <= 0.5 B again from t = 26 (lag 6 vs t = 21: 6): steady 10 s after the spike (16 s).
        // (Judged on scheduling delay alone this would read 0 s.)
        assertEquals(10.0, f.timeToSteadyAfterSpikeS, 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, f.timeToRecoverAfterSpikeS, "6 s old: never back to real time");
    }

    @Test
    void goodputProRatesEachBatchOverItsProcessing(@TempDir Path tmp) throws IOException {
        double[] proc = fill(0.5);
        proc[20] = 1.0; // processed 20.1 - 21.1 s: a tenth of it inside the steady window (21, 26]
        Figures f = Figures.of(RunData.load("m", FiguresTest.run(tmp.resolve("m"), SPIKE,
                "capacity.keptUp=800\ncapacity.firstFailed=1250\n", fill(0.1), proc, records(1000), fill(1.0), 26)));
        // t = 21..25 complete inside (5 000), plus 100 of t = 20 (counted whole at completion before: 6 000).
        assertEquals(5100 / 5.0, f.processedPerS, 1e-6);
        assertEquals(1.02, f.goodput, 1e-9);
        assertEquals(1020 / 800.0, f.goodputVsKeptUp, 1e-9);
        assertEquals(1020 / 1250.0, f.goodputVsFailed, 1e-9);
        // Busy: 24 batches of 0.5 s and one of 1 s (t = 1..25) processed inside the load (1, 26] of 25 s.
        assertEquals(13.0 / 25, f.busyFraction, 1e-9);
    }

    @Test
    void theLimitOfASpikeIsTheIdealQueueAndItsDrain() {
        // 700/s offered throughout; capacity 1000/s at cost 7, 500/s during the 5 s spike at cost 8:
        // the ideal queue grows 200/s for 5 s = 1 000 records. They are spike records and keep their cost (2 ms of the
        // cluster each): 2 s of work, done with the 30 % the cluster has spare after the spike: T* = 6.67 s (3.33 s if
        // they drained at 1000 - 700 = 300 records/s, as if they had become cheap).
        // Shedding instead of queueing loses those 1 000 records.
        Limit l = Limit.of(ScenarioParser.parse("s", "s.scn",
                "idle 1s\nhold 10s 0.7x cost 7\nhold 5s 0.7x cost 8\nhold 20s 0.7x cost 7\n").resolve(1000), 1000);
        assertEquals(1000, l.backlogAtSpikeEnd(), 5);
        assertEquals(2.0 / 0.3, l.tStarS(), 0.02);
        assertEquals(1000, l.minLoss(), 5);
    }

    @Test
    void theMinimumLossOfAnOverloadCountsTheRampAboveCapacityAndTheHold() {
        // Ramp 200 -> 5000/s over 2 s passes 1000/s after 1/3 s; above it for 5/3 s at 2000/s more on average
        // (3 333 records), then 4 000/s more for 4 s (16 000). No spike: no T*.
        Limit l = Limit.of(ScenarioParser.parse("o", "o.scn", "idle 1s\nramp 2s 0.2x -> 5x cost 7\nhold 4s 5x cost 7\n")
                .resolve(1000), 1000);
        assertEquals(19_333, l.minLoss(), 0.005 * 19_333);
        assertTrue(Double.isNaN(l.tStarS()));
    }

    @Test
    void anOwnCapacityAboveTheProbesFailedStepIsMarked() {
        assertEquals("8259 (1.24) > not kept up", ReportWriter.ownCapacityCell(8259, 6655, 7379));
        assertEquals("7000 (1.05)", ReportWriter.ownCapacityCell(7000, 6655, 7379));
        assertEquals("8259 (1.24)", ReportWriter.ownCapacityCell(8259, 6655, Double.NaN), "no bracket: nothing to say");
        assertEquals("no full batch", ReportWriter.ownCapacityCell(Double.NaN, 6655, 7379));
    }

    @Test
    void aProbeMostRunsDisagreeWithIsCalledOut() {
        double[] bracket = {7367, 8323};
        // The time-scale 0.5 spike run of 2026-12-05: nine of ten runs above the probe's failed step.
        String line = ReportWriter.probeDriftLine(List.of(9072.0, 8294.0, 9149.0, 9281.0, 9677.0, 9778.0, 9112.0,
                9295.0, 9333.0, 9223.0), bracket);
        assertTrue(line.contains("9 of 10 runs' own capacities (8294–9778/s) lie outside its bracket (7367–8323/s; "
                + "9 above, 0 below)"), line);
        // Half outside is not most; runs without an own capacity are not counted.
        assertEquals("", ReportWriter.probeDriftLine(List.of(9000.0, 8000.0, Double.NaN, Double.NaN), bracket));
        assertTrue(ReportWriter.probeDriftLine(List.of(7000.0, 9000.0, 8000.0, 7100.0), bracket)
                .contains("3 of 4 runs' own capacities (7000–9000/s) lie outside its bracket (7367–8323/s; 1 above, "
                        + "2 below)"));
        assertEquals("", ReportWriter.probeDriftLine(List.of(9000.0, 9100.0), new double[] {Double.NaN, 8323}),
                "no bracket: nothing to judge by");
        assertEquals("", ReportWriter.probeDriftLine(List.of(Double.NaN), bracket));
    }

    @Test
    void theRunsOwnCapacityIsReadFromItsFullBatchesAtEveryCost(@TempDir Path tmp) throws IOException {
        // Processing = 0.1 s + 0.4 ms per record at cost 7 (0.8 ms at cost 8): (1 - 0.1) / 0.0004 = 2250/s. Batches
        // of 2 000-2 444 records take 0.9-1.08 s at cost 7; at cost 8 they hold half as many.
        long[] records = new long[27];
        double[] proc = new double[27];
        for (int t = 1; t <= 26; t++) {
            int cost = t >= 12 && t <= 16 ? 8 : 7;
            records[t] = Math.round((2000 + 74L * (t % 7)) / Math.pow(2, cost - 7));
            proc[t] = 0.1 + 0.0004 * records[t] * Math.pow(2, cost - 7);
        }
        RunData d = RunData.load("m", FiguresTest.run(tmp.resolve("m"), SPIKE, "", fill(0.1), proc, records,
                fill(1.0), 26));
        assertEquals(2250, Limit.ownCapacity(d), 1.0);
        // Offered 1000/s = capacity at cost 7 (probe): the spike's queue never drains during the load, only after it
        // (26 s): 2 500 spike records of 2 ms each, T* = 10 + 5 s. With the run's own 2250/s: no queue at all.
        Figures f = Figures.of(d);
        assertEquals(15, f.probeLimit.tStarS(), 0.05);
        assertEquals(0, f.ownLimit.tStarS(), 1e-9);
        assertEquals(0, f.ownLimit.minLoss(), 1e-9);
    }

    @Test
    void aRunWhoseCostRisesNearSaturationIsReadAtItsFullBatchesNotAtTheLinesCrossing(@TempDir Path tmp)
            throws IOException {
        // 0.1 s + 0.4 ms per record up to 1 500 records, each record beyond costs 0.6 ms: full batches (1 ± 0.15 s)
        // hold 1 800-2 000 records, so the capacity is (1 - 0.1 - 0.6) / 0.0006 + 1 500 = 2 000/s. Most batches ran
        // at 600-1 000 records; a straight line through all of them crosses B well above that.
        long[] records = new long[27];
        double[] proc = new double[27];
        for (int t = 1; t <= 26; t++) {
            records[t] = t % 4 == 0 ? 1850 + 50L * (t % 3) : 600 + 100L * (t % 5);
            proc[t] = 0.1 + 0.0004 * Math.min(records[t], 1500) + 0.0006 * Math.max(0, records[t] - 1500);
        }
        RunData d = RunData.load("m", FiguresTest.run(tmp.resolve("m"), "idle 1s\nhold 25s 1x cost 7\n", "",
                fill(0.1), proc, records, fill(1.0), 26));
        assertEquals(2000, Limit.ownCapacity(d), 40);
        // too few full batches: nothing to read
        long[] small = new long[27];
        java.util.Arrays.fill(small, 800);
        RunData light = RunData.load("l", FiguresTest.run(tmp.resolve("l"), SPIKE, "", fill(0.1), fill(0.42), small,
                fill(1.0), 26));
        assertTrue(Double.isNaN(Limit.ownCapacity(light)));
    }

    @Test
    void repeatsShowEveryRunAndPerModeTheMedianAndSpread(@TempDir Path tmp) throws IOException {
        Path scenario = tmp.resolve("syn");
        double[] proc = fill(0.5);
        for (int r = 1; r <= 3; r++) {
            // Goodput 0.9, 1.0, 1.1: the steady window's batches hold 900, 1000, 1100 records.
            FiguresTest.run(scenario.resolve("m-r" + r), SPIKE, "repeat=" + r + "\nrepeats=3\n", fill(0.1), proc,
                    records(800 + 100L * r), fill(1.0), 26);
        }
        ReportWriter.ScenarioRuns runs = ReportWriter.load(scenario, List.of("m-r1", "m-r2", "m-r3"));
        String md = Files.readString(ReportWriter.write(tmp, List.of(runs), "repeats"));
        assertTrue(md.contains("| m #1 | ok |"), md);
        assertTrue(md.contains("| m #3 | ok |"), md);
        assertTrue(md.contains("| m | 3 | 1.00 (0.90–1.10) |"), md);
    }
}
