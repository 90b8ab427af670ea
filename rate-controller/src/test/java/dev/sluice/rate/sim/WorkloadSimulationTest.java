package dev.sluice.rate.sim;

import dev.sluice.rate.AdaptiveRateEstimator;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The adaptive estimator on workloads other than a constant overload. */
class WorkloadSimulationTest {
    private static final double CAPACITY = Scenarios.sustainable();

    private static AdaptiveRateEstimator adaptive() {
        return new AdaptiveRateEstimator(EstimatorSettings.builder(Scenarios.INTERVAL_MS).build());
    }

    @Test
    void slowRampToFiveTimesCapacityNeverLosesRealTime() {
        SimulationResult r = new SimulatedStreamingJob(Scenarios.base()
                .stream(t -> 1000 + (5 * CAPACITY - 1000) * Math.min(1, t / 300_000.0)).phase(0.5).durationMs(330_000))
                .run(adaptive());
        int last = r.batches().size();
        System.out.printf("[sim slow ramp] peak scheduling delay %.2f s, goodput over the last 60 batches %.3f%n",
                r.peakSchedulingDelayMs() / 1000.0, r.goodput(last - 59, last));
        assertTrue(r.peakSchedulingDelayMs() < Scenarios.INTERVAL_MS, r.table());
        assertTrue(r.goodput(last - 59, last) >= 0.95, r.table());
        // under capacity nothing is cut (at 20 s about 4 100 records/s are offered)
        SimulatedStreamingJob.Batch early = r.batch(20);
        assertTrue(early.totalRecords() >= 0.97 * early.offeredRate, early.toString());
    }

    @Test
    void emptyBatchesDoNotChangeTheCapacityEstimateNorTheBound() {
        AdaptiveRateEstimator estimator = adaptive();
        // 10 s at 2x capacity, 10 s of nothing, repeated
        SimulationResult r = new SimulatedStreamingJob(Scenarios.base()
                .stream(t -> ((long) (t / 10_000)) % 2 == 0 ? 2 * CAPACITY : 0).phase(0.5).durationMs(120_000))
                .run(estimator);
        assertEquals(Scenarios.PER_RECORD_MS, estimator.perRecordCostMs(), 0.1 * Scenarios.PER_RECORD_MS);
        for (SimulatedStreamingJob.Batch b : r.batches()) {
            if (b.index > 5) {
                assertTrue(b.schedulingDelayMs() < Scenarios.INTERVAL_MS, b.toString());
            }
            // first batch of each busy period: the bound kept through the empty batches still fits capacity
            if (b.index > 20 && b.index % 20 == 1) {
                assertTrue(b.totalRecords() >= 0.95 * CAPACITY && b.totalRecords() <= 1.02 * CAPACITY, b.toString());
            }
        }
    }

    @Test
    void twoStreamsWithUnequalOfferedRatesShareCapacityMaxMinFairly() {
        SimulationResult r = new SimulatedStreamingJob(Scenarios.base()
                .stream(t -> 3 * CAPACITY).stream(t -> 0.2 * CAPACITY).phase(0.5).durationMs(120_000)).run(adaptive());
        long busy = 0;
        long quiet = 0;
        for (int i = 21; i <= 119; i++) {
            busy += r.batch(i).records[0];
            quiet += r.batch(i).records[1];
            assertTrue(r.batch(i).schedulingDelayMs() < Scenarios.INTERVAL_MS, r.batch(i).toString());
        }
        double quietShare = quiet / (99 * 0.2 * CAPACITY);
        double goodput = r.goodput(21, 119);
        System.out.printf("[sim two streams 3x + 0.2x] quiet stream admitted %.3f of its offered rate, busy stream %.0f/s,"
                + " goodput %.3f%n", quietShare, busy / 99.0, goodput);
        assertTrue(quietShare >= 0.97, "the quiet stream is served in full: " + quietShare);
        assertTrue(goodput >= 0.95, "the busy stream gets the rest: " + goodput);
    }

    @Test
    void twoBusyStreamsGetEqualShares() {
        SimulationResult r = new SimulatedStreamingJob(Scenarios.base()
                .stream(t -> 3 * CAPACITY).stream(t -> 2 * CAPACITY).phase(0.5).durationMs(120_000)).run(adaptive());
        long a = 0;
        long b = 0;
        for (int i = 21; i <= 119; i++) {
            a += r.batch(i).records[0];
            b += r.batch(i).records[1];
        }
        System.out.printf("[sim two streams 3x + 2x] %.0f/s and %.0f/s, goodput %.3f%n", a / 99.0, b / 99.0,
                r.goodput(21, 119));
        assertEquals(1.0, (double) a / b, 0.05);
        assertTrue(r.goodput(21, 119) >= 0.95);
    }

    @Test
    void overheadDominatedBatchesDoNotCollapseTheCapacityEstimate() {
        AdaptiveRateEstimator estimator = adaptive();
        // 400 ms per batch whatever its size, 0.02 ms per record: 30 000 records/s sustainable at 1 s batches
        SimulatedStreamingJob.Config config = Scenarios.base().overheadMs(400).perRecordMs(0.02)
                .stream(t -> 150_000).phase(0.5).durationMs(120_000);
        SimulationResult r = new SimulatedStreamingJob(config).run(estimator);
        System.out.printf("[sim overhead-dominated] steady from batch %d, peak %.1f s, goodput %.3f, fitted overhead"
                        + " %.0f ms, per-record %.4f ms%n", r.firstSteadyBatch(), r.peakSchedulingDelayMs() / 1000.0,
                r.steadyGoodput(), estimator.batchOverheadMs(), estimator.perRecordCostMs());
        assertTrue(r.firstSteadyBatch() > 0 && r.firstSteadyBatch() <= 15, r.table());
        assertTrue(r.steadyGoodput() >= 0.95, r.table());
        for (SimulatedStreamingJob.Batch b : r.batches()) {
            if (b.index > 15) {
                assertTrue(b.totalRecords() >= 0.9 * config.sustainableRate(), b.toString());
            }
        }
    }

    @Test
    void receiverRestartGetsTheBoundBackAtOnce() {
        SimulatedStreamingJob.Config config = Scenarios.overload5x(0.3, 1).restartAtMs(60_100);
        SimulationResult withRepublish = new SimulatedStreamingJob(config).run(adaptive());
        SimulationResult without = new SimulatedStreamingJob(config).run(new IgnoringReceiverStarts(adaptive()));
        long recordsWith = withRepublish.batch(61).totalRecords();
        long recordsWithout = without.batch(61).totalRecords();
        System.out.printf("[sim receiver restart at 60.1 s, 5x overload] batch after restart: %d records with"
                + " republish, %d without%n", recordsWith, recordsWithout);
        assertTrue(recordsWith <= 2 * CAPACITY, withRepublish.batch(61).toString());
        assertTrue(recordsWithout > 2 * recordsWith, "the control must show the loss: " + recordsWithout);
        for (int i = 61; i <= withRepublish.batches().size(); i++) {
            assertTrue(withRepublish.batch(i).schedulingDelayMs() < Scenarios.INTERVAL_MS,
                    withRepublish.batch(i).toString());
        }
    }

    /** Control for the restart test: an estimator that ignores receiver starts. */
    private static final class IgnoringReceiverStarts extends ObservedEstimator {
        IgnoringReceiverStarts(RateEstimator delegate) {
            super(delegate, batch -> { });
        }

        @Override
        public void onReceiverStarted(int streamId, BoundSink sink) {
        }
    }
}
