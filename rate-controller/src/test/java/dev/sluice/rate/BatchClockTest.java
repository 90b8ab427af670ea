package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One clock. Spark stamps a batch's time with the batch clock ({@code spark.streaming.clock}) and its submission and
 * processing times with the wall clock. Under a ManualClock (users' tests) the batch clock starts at 0 while the wall
 * clock reads 2026: the estimator must see the same job, hence publish the same bounds, as with the system clock.
 */
class BatchClockTest {

    private static final long INTERVAL = 1000;
    /** The wall clock of these batches: 2026-11-01. */
    private static final long WALL = 1_793_000_000_000L;

    /** A job at 60 % of its capacity (0.1 ms per record): batches of 6 000 records take 600 ms, with 5 ms of lag. */
    private static List<Long> bounds(RateEstimator estimator, long batchClockAtStart) {
        List<Long> out = new ArrayList<>();
        BoundSink sink = (streamId, rate) -> out.add(rate);
        for (int k = 1; k <= 8; k++) {
            long batchTime = batchClockAtStart + k * INTERVAL;
            long submitted = WALL + k * INTERVAL + 3; // Spark's JobSet: System.currentTimeMillis at submission
            long[] records = {6000};
            int[] ids = {0};
            estimator.onBatchSubmitted(new BatchSample(batchTime, INTERVAL, submitted, -1, -1, ids, records), sink);
            estimator.onBatchCompleted(new BatchSample(batchTime, INTERVAL, submitted, submitted + 5,
                    submitted + 605, ids, records), sink);
        }
        return out;
    }

    private static EstimatorSettings.Builder settings() {
        return EstimatorSettings.builder(INTERVAL);
    }

    @Test
    void adaptiveSeesNoBacklogUnderAManualClock() {
        List<Long> system = bounds(new AdaptiveRateEstimator(settings().build()), WALL);
        List<Long> manual = bounds(new AdaptiveRateEstimator(settings().build()), 0);
        assertTrue(system.size() >= 8, "bounds published: " + system);
        // about 0.99 s of a 1 s batch at 0.1 ms per record: ~9 900/s, far from the 100/s minimum
        long last = system.get(system.size() - 1);
        assertTrue(last > 5000, "system clock: last bound " + last + " in " + system);
        assertEquals(system, manual, "a ManualClock starting at 0 changed the bounds");
    }

    @Test
    void pidSeesNoBacklogUnderAManualClock() {
        EstimatorSettings s = settings().kind(EstimatorKind.PID).build();
        List<Long> system = bounds(new PidRateEstimator(s), WALL);
        List<Long> manual = bounds(new PidRateEstimator(s), 0);
        assertTrue(!system.isEmpty() && system.get(system.size() - 1) > 5000, "system clock: " + system);
        assertEquals(system, manual, "a ManualClock starting at 0 changed the bounds");
    }
}
