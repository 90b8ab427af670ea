package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PidRateEstimatorTest {
    private static PidRateEstimator pid(EstimatorSettings.Builder b) {
        return new PidRateEstimator(b.kind(EstimatorKind.PID).build());
    }

    @Test
    void feedsSparksInputsAtCompletionAndPublishesWhatSparkWould() {
        PidRateEstimator estimator = pid(EstimatorSettings.builder(1000));
        SparkPidEstimator reference = new SparkPidEstimator(1000, 1.0, 0.2, 0.0, 100);
        RecordingSink sink = new RecordingSink();
        long[][] batches = {{1000, 5000, 1000, 1500}, {2000, 10000, 2000, 3000}, {3000, 10000, 4000, 6000},
            {4000, 10000, 6000, 8000}};
        for (long[] b : batches) {
            estimator.onBatchSubmitted(Batches.submitted(b[0], b[1]), sink);
            assertTrue(sink.published.isEmpty(), "nothing at submission");
            estimator.onBatchCompleted(Batches.completed(b[0], b[1], b[2], b[3]), sink);
            double expected = reference.compute(b[3], b[1], b[3] - b[2], b[2] - b[0]);
            if (Double.isNaN(expected)) {
                assertTrue(sink.published.isEmpty());
            } else {
                assertEquals(Math.round(expected), sink.latest(0));
            }
            sink.clear();
        }
    }

    @Test
    void clampsToMaxRateAndMinRate() {
        PidRateEstimator estimator = pid(EstimatorSettings.builder(1000).minRate(100).maxRate(3000));
        RecordingSink sink = new RecordingSink();
        estimator.onBatchCompleted(Batches.completed(1000, 5000, 1000, 1500), sink);
        estimator.onBatchCompleted(Batches.completed(2000, 10000, 2000, 3000), sink); // Spark: 10000
        assertEquals(3000, sink.latest(0));
        estimator.onBatchCompleted(Batches.completed(3000, 100, 8000, 10000), sink); // huge delay: Spark floor 100
        assertEquals(100, sink.latest(0));
    }

    @Test
    void oneEstimatorPerStream() {
        PidRateEstimator estimator = pid(EstimatorSettings.builder(1000));
        RecordingSink sink = new RecordingSink();
        int[] ids = {3, 7};
        estimator.onBatchCompleted(Batches.completed(1000, ids, new long[] {1000, 4000}, 1000, 2000), sink);
        estimator.onBatchCompleted(Batches.completed(2000, ids, new long[] {2000, 0}, 2000, 3000), sink);
        assertEquals(2000, sink.latest(3));
        assertEquals(-1, sink.latest(7), "stream 7 had no records: no estimate, as in Spark");
    }

    @Test
    void receiverStartPublishesInitialRateThenTheCurrentBound() {
        PidRateEstimator estimator = pid(EstimatorSettings.builder(1000).initialRate(4000));
        RecordingSink sink = new RecordingSink();
        estimator.onReceiverStarted(0, sink);
        assertEquals(4000, sink.latest(0));
        estimator.onBatchCompleted(Batches.completed(1000, 5000, 1000, 1500), sink);
        estimator.onBatchCompleted(Batches.completed(2000, 6000, 2000, 3000), sink);
        sink.clear();
        estimator.onReceiverStarted(0, sink);
        assertEquals(6000, sink.latest(0));
        assertEquals(6000, estimator.boundOf(0));
    }

    @Test
    void noInitialRateMeansNothingAtReceiverStart() {
        PidRateEstimator estimator = pid(EstimatorSettings.builder(1000));
        RecordingSink sink = new RecordingSink();
        estimator.onReceiverStarted(0, sink);
        assertTrue(sink.published.isEmpty());
    }
}
