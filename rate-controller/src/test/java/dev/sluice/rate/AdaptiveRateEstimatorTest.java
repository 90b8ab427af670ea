package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static dev.sluice.rate.Batches.completed;
import static dev.sluice.rate.Batches.submitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each edge case of issue 5 point 1, on a 1 s interval (target utilisation 0.99, drain horizon 2 s, minRate 100). */
class AdaptiveRateEstimatorTest {
    private final RecordingSink sink = new RecordingSink();

    private static AdaptiveRateEstimator adaptive() {
        return new AdaptiveRateEstimator(EstimatorSettings.builder(1000).build());
    }

    /** Capacity known: 0.1 ms per record, no overhead, nothing pending; bound 9 900/s. */
    private AdaptiveRateEstimator withCapacity() {
        AdaptiveRateEstimator e = adaptive();
        e.onBatchSubmitted(submitted(1000, 9_900), sink);
        e.onBatchCompleted(completed(1000, 9_900, 1000, 1990), sink);
        assertEquals(9900, sink.latest(0));
        return e;
    }

    // ---- the first batches

    @Test
    void aStartingReceiverGetsMinRateAndTheBoundGrowsEightfoldWhileBatchesFinishFarUnderTheTarget() {
        AdaptiveRateEstimator e = adaptive();
        e.onReceiverStarted(0, sink);
        assertEquals(100, sink.latest(0), "slow start: minRate before any evidence");
        assertTrue(e.isStarting());
        e.onBatchSubmitted(submitted(1000, 100), sink);
        assertEquals(100, sink.latest(0), "the first batch keeps the start bound");
        e.onBatchCompleted(completed(1000, 100, 1000, 1100), sink); // 100 records in 100 ms
        // Nothing yet separates overhead from cost, so the headroom is 990 ÷ 100 = 9.9: eight times what the batch held,
        // 800/s for the next batch; 100 ms of its interval already ran at 100/s, so the rest of the interval gets
        // (800 × 1 s − 100/s × 0.1 s) ÷ 0.9 s.
        assertEquals(878, sink.latest(0), "the next batch is to hold 800: the rest of the interval catches up");
        e.onBatchSubmitted(submitted(2000, 800), sink);
        assertEquals(800, sink.latest(0), "at most eight times what the batch held while starting");
        e.onBatchCompleted(completed(2000, 800, 2000, 2300), sink);
        // 800 records in 300 ms: the line through both batches has 71 ms of overhead and 0.286 ms a record, so a batch
        // of 3 215 takes the 990 ms target (headroom 4.0, under the start's eightfold); the rest of the interval gets
        // (3 215 × 1 s − 800/s × 0.3 s) ÷ 0.7 s.
        assertEquals(4250, sink.latest(0), "(3 215 × 1 s − 800/s × 0.3 s) ÷ 0.7 s");
        e.onBatchSubmitted(submitted(3000, 3215), sink);
        assertEquals(3215, sink.latest(0), "the next submission publishes the plain rate");
        assertTrue(e.isStarting());
    }

    /** A receiver started, and its first batch (100 records) took 200 ms: the slow start is on. */
    private AdaptiveRateEstimator startedWithAFastFirstBatch() {
        AdaptiveRateEstimator e = adaptive();
        e.onReceiverStarted(0, sink);
        e.onBatchSubmitted(submitted(1000, 100), sink);
        e.onBatchCompleted(completed(1000, 100, 1000, 1200), sink);
        return e;
    }

    @Test
    void aBatchNearTheTargetEndsTheStartAndGrowthIsTwofoldAtMostFromThen() {
        AdaptiveRateEstimator e = startedWithAFastFirstBatch();
        e.onBatchSubmitted(submitted(2000, 800), sink);
        e.onBatchCompleted(completed(2000, 800, 2000, 2950), sink); // 950 ms of a 990 ms target: the level is near
        assertFalse(e.isStarting());
        e.onBatchSubmitted(submitted(3000, 810), sink);
        e.onBatchCompleted(completed(3000, 810, 3000, 3300), sink); // then a fast one: twofold at most
        assertTrue(sink.latest(0) <= 1620, "at most twice what the batch held: " + sink.latest(0));
        assertFalse(e.isStarting(), "the start does not come back");
    }

    @Test
    void aStreamBelowItsBoundGetsNoCatchUpAndDoesNotEndTheStart() {
        AdaptiveRateEstimator e = startedWithAFastFirstBatch();
        e.onBatchSubmitted(submitted(2000, 150), sink); // offered 150/s under a ~460/s bound: demand known
        e.onBatchCompleted(completed(2000, 150, 2000, 2220), sink);
        assertTrue(e.isStarting(), "a receiver that started mid-interval fills its first batch only in part");
        e.onBatchSubmitted(submitted(3000, 150), sink);
        long planned = sink.latest(0);
        e.onBatchCompleted(completed(3000, 150, 3000, 3220), sink);
        assertEquals(planned, sink.latest(0), "not held: what it stored was not its bound, so nothing to catch up");
    }

    /**
     * Two receivers on one ramp: one's records reach the batch later than the mid-interval raise (blocks, bulk stores),
     * so it reads as quiet. During the start it may still grow as far as the start grows (eightfold its use, at most
     * the held stream's level), not 1.5-fold, which held it far under its source for the next interval on real Spark.
     */
    @Test
    void duringTheStartAStreamReadAsQuietGrowsAsTheStartDoes() {
        AdaptiveRateEstimator e = adaptive();
        int[] both = {0, 1};
        e.onReceiverStarted(0, sink);
        e.onReceiverStarted(1, sink);
        e.onBatchSubmitted(submitted(1000, both, new long[] {100, 100}), sink);
        e.onBatchCompleted(completed(1000, both, new long[] {100, 100}, 1000, 1100), sink);
        assertEquals(878, sink.latest(1), "(800 × 1 s − 100/s × 0.1 s) ÷ 0.9 s each");
        e.onBatchSubmitted(submitted(2000, both, new long[] {790, 700}), sink); // 700 < 0.9 × 800: quiet
        e.onBatchCompleted(completed(2000, both, new long[] {790, 700}, 2000, 2200), sink);
        assertTrue(e.isStarting());
        assertEquals(5600, sink.latest(1), "eight times its use, not 1.5 times (1 050)");
        assertTrue(sink.latest(0) > sink.latest(1), "the held stream gets the rest: " + sink.latest(0));
    }

    @Test
    void aSlowColdBatchGrowsTheBoundOnlyByTheHeadroomItLeft() {
        AdaptiveRateEstimator e = adaptive();
        e.onReceiverStarted(0, sink);
        e.onBatchSubmitted(submitted(1000, 100), sink);
        e.onBatchCompleted(completed(1000, 100, 1000, 1900), sink); // a cold JVM: 100 records took 900 ms
        assertEquals(110, sink.latest(0), "100 × 990 / 900");
    }

    @Test
    void withoutSlowStartTheFirstBatchRunsUnboundedThenEachStreamIsHeldAtTheRateItShowed() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).slowStart(false).build());
        e.onReceiverStarted(0, sink);
        assertTrue(sink.published.isEmpty(), "no initial rate, no slow start: nothing before the first batch");
        e.onBatchSubmitted(submitted(1000, 5000), sink);
        assertEquals(5000, sink.latest(0));
    }

    @Test
    void aReceiverWhoseStartWasNotSeenIsHeldAtTheRateItsFirstBatchShowed() {
        AdaptiveRateEstimator e = adaptive();
        e.onBatchSubmitted(submitted(1000, 5000), sink);
        assertEquals(5000, sink.latest(0));
    }

    @Test
    void overloadBeforeAnyCapacityIsKnownCutsHard() {
        AdaptiveRateEstimator e = adaptive();
        e.onBatchSubmitted(submitted(1000, 20_000), sink);
        e.onBatchSubmitted(submitted(2000, 20_000), sink); // the first is still running: a backlog is forming
        assertEquals(100, sink.latest(0));
    }

    @Test
    void firstCompletionSetsCapacityMinusTheDrainOfWhatIsQueued() {
        AdaptiveRateEstimator e = adaptive();
        e.onBatchSubmitted(submitted(1000, 20_000), sink);
        e.onBatchSubmitted(submitted(2000, 20_000), sink);
        e.onBatchCompleted(completed(1000, 20_000, 1000, 3000), sink); // 0.1 ms per record
        // batch 2000 needs 2 s from 3000: batch 3000 would wait 2 s, drained over 3 intervals:
        // (990 − 2000 × 1000/3000) / 0.1 = 3 233/s
        assertEquals(3233, sink.latest(0));
        e.onBatchSubmitted(submitted(3000, 100), sink);
        // batch 4000 would wait 2 s + 10 ms − 1 s: (990 − 1010 × 1000/3000) / 0.1 = 6 533/s
        assertEquals(6533, sink.latest(0));
    }

    @Test
    void withoutTheHoldTheFirstBatchesAreNotBounded() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).holdFirstBatchRate(false)
                .build());
        e.onBatchSubmitted(submitted(1000, 5000), sink);
        assertTrue(sink.published.isEmpty());
    }

    @Test
    void initialRateIsInForceUntilCapacityIsKnown() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).initialRate(3000).build());
        e.onReceiverStarted(0, sink);
        assertEquals(3000, sink.latest(0));
        e.onBatchSubmitted(submitted(1000, 3000), sink);
        assertEquals(3000, sink.latest(0));
        e.onBatchCompleted(completed(1000, 3000, 1000, 1300), sink);
        // the fit says 9 900/s, but from batches of 3 000 the stream grows at most twofold per batch
        assertEquals(6000, sink.latest(0));
        e.onBatchSubmitted(submitted(2000, 6000), sink);
        e.onBatchCompleted(completed(2000, 6000, 2000, 2600), sink);
        assertEquals(9900, sink.latest(0));
    }

    @Test
    void aFitOnSmallBatchesIsNotExtrapolatedBeyondTwiceTheLargest() {
        AdaptiveRateEstimator e = adaptive();
        sink.continuous = false; // a direct stream, as in the recorded cold start: no slow-start gain, no catch-up
        e.onBatchSubmitted(submitted(1000, 100), sink);
        e.onBatchCompleted(completed(1000, 100, 1000, 1400), sink); // a cold start: 100 records, 400 ms
        e.onBatchSubmitted(submitted(2000, 261), sink);
        e.onBatchCompleted(completed(2000, 261, 2000, 2450), sink); // the line: ~370 ms + 0.31 ms per record
        assertEquals(522, sink.latest(0), "twice the largest batch seen");
    }

    @Test
    void aStreamPlannedOncePerBatchStartsTwofoldWithoutCatchUp() {
        AdaptiveRateEstimator e = adaptive();
        sink.continuous = false;
        e.onReceiverStarted(0, sink);
        e.onBatchSubmitted(submitted(1000, 100), sink);
        e.onBatchCompleted(completed(1000, 100, 1000, 1200), sink);
        assertEquals(200, sink.latest(0), "its batch is planned from this bound: twice what the batch held, no more");
    }

    // ---- empty batches

    @Test
    void emptyBatchesChangeNeitherCapacityNorBound() {
        AdaptiveRateEstimator e = withCapacity();
        double cost = e.perRecordCostMs();
        for (long t = 4000; t < 10_000; t += 1000) {
            e.onBatchSubmitted(submitted(t, 0), sink);
            e.onBatchCompleted(completed(t, 0, t, t + 8), sink);
            assertEquals(9900, sink.latest(0), "at " + t);
        }
        assertEquals(cost, e.perRecordCostMs());
    }

    // ---- a receiver restart

    @Test
    void restartedReceiverGetsTheCurrentBoundAgain() {
        AdaptiveRateEstimator e = withCapacity();
        sink.clear();
        e.onReceiverStarted(0, sink);
        assertEquals(1, sink.published.size());
        assertEquals(9900, sink.latest(0));
    }

    @Test
    void aReceiverOfAStreamNotSeenBeforeStartsSlow() {
        AdaptiveRateEstimator e = withCapacity();
        sink.clear();
        e.onReceiverStarted(5, sink);
        assertEquals(100, sink.latest(5));
    }

    // ---- backlog at submission

    @Test
    void aBatchSubmittedWhileTheLastStillRunsCutsTheBoundAtOnce() {
        AdaptiveRateEstimator e = withCapacity();
        e.onBatchSubmitted(submitted(4000, 15_000), sink); // 1.5 s of work
        e.onBatchSubmitted(submitted(5000, 9_900), sink);  // 0.5 s left of the first + 0.99 s
        // the next batch would wait 0.49 s → (990 − 490 × 1000/3000) / 0.1 = 8 267/s
        assertEquals(8267, sink.latest(0));
    }

    @Test
    void aLostCompletionEventDoesNotLeaveAPhantomBacklog() {
        AdaptiveRateEstimator e = withCapacity();
        e.onBatchSubmitted(submitted(4000, 9_000), sink);
        e.onBatchSubmitted(submitted(5000, 9_000), sink);
        e.onBatchCompleted(completed(5000, 9_000, 5000, 5900), sink); // batch 4000's completion never arrived
        e.onBatchSubmitted(submitted(6000, 9_000), sink);
        assertEquals(9900, sink.latest(0));
    }

    // ---- capacity that changes mid-run

    @Test
    void slowerBatchesCutTheBoundWithinOneBatchAndFasterOnesRestoreIt() {
        AdaptiveRateEstimator e = withCapacity();
        long t = 4000;
        for (int i = 0; i < 5; i++, t += 1000) {
            e.onBatchSubmitted(submitted(t, 9_900), sink);
            e.onBatchCompleted(completed(t, 9_900, t, t + 990), sink);
        }
        assertEquals(9900, sink.latest(0));
        e.onBatchSubmitted(submitted(t, 9_900), sink);        // runs t .. t+1980: the cost doubled
        e.onBatchSubmitted(submitted(t + 1000, 9_900), sink); // queued
        e.onBatchCompleted(completed(t, 9_900, t, t + 1980), sink);
        assertTrue(sink.latest(0) <= 4950, "bound " + sink.latest(0));
        e.onBatchSubmitted(submitted(t + 2000, 2_000), sink);
        e.onBatchCompleted(completed(t + 1000, 9_900, t + 1980, t + 2970), sink); // cost back to 0.1 ms
        // one batch later: (990 − 170 × 1000/3000) / 0.1 = 9 333/s (170 ms of batch t+2000 overlap the next interval)
        assertEquals(9333, sink.latest(0));
    }

    // ---- batches dominated by fixed overhead

    @Test
    void smallSlowBatchesAfterACutDoNotCollapseCapacity() {
        AdaptiveRateEstimator e = withCapacity();
        long t = 4000;
        for (int i = 0; i < 6; i++, t += 1000) {
            e.onBatchSubmitted(submitted(t, 100), sink);
            e.onBatchCompleted(completed(t, 100, t, t + 300), sink); // 300 ms whatever the size
        }
        assertTrue(e.perRecordCostMs() < 0.11, "per-record " + e.perRecordCostMs());
        assertTrue(e.batchOverheadMs() > 200, "overhead " + e.batchOverheadMs());
        // the bound reflects the overhead, it does not collapse to records / time of the small batches (333/s)
        assertTrue(sink.latest(0) > 6000, "bound " + sink.latest(0));
    }

    // ---- several streams sharing the cluster

    @Test
    void aQuietStreamKeepsWhatItUsesAndItsUnusedShareGoesToTheBusyOne() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).initialRate(5000).build());
        int[] ids = {0, 1};
        e.onReceiverStarted(0, sink);
        e.onReceiverStarted(1, sink);
        // stream 0 uses all of its 5 000, stream 1 only 1 000
        e.onBatchSubmitted(submitted(1000, ids, new long[] {5_000, 1_000}), sink);
        e.onBatchCompleted(completed(1000, ids, new long[] {5_000, 1_000}, 1000, 1600), sink); // 0.1 ms per record
        assertEquals(8900, sink.latest(0), "the busy stream gets all but what the quiet one uses");
        assertEquals(1500, sink.latest(1), "the quiet one keeps its use, with room to grow by quietStreamGrowth");
    }

    @Test
    void busyStreamsShareEqually() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).initialRate(3000).build());
        int[] ids = {0, 1, 2};
        for (int id : ids) {
            e.onReceiverStarted(id, sink);
        }
        e.onBatchSubmitted(submitted(1000, ids, new long[] {3_000, 3_000, 3_000}), sink);
        e.onBatchCompleted(completed(1000, ids, new long[] {3_000, 3_000, 3_000}, 1000, 1900), sink);
        assertEquals(3300, sink.latest(0));
        assertEquals(3300, sink.latest(1));
        assertEquals(3300, sink.latest(2));
    }

    @Test
    void unboundedStreamsAreSplitOnWhatTheyShowedTheyWant() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).holdFirstBatchRate(false)
                .build());
        int[] ids = {0, 1};
        e.onBatchSubmitted(submitted(1000, ids, new long[] {6_000, 1_000}), sink);
        e.onBatchCompleted(completed(1000, ids, new long[] {6_000, 1_000}, 1000, 1700), sink);
        // demands 6 000 and 1 000 are met; the 2 900 spare is shared
        assertEquals(7450, sink.latest(0));
        assertEquals(2450, sink.latest(1));
    }

    @Test
    void aStreamAbsentFromABatchStoredNothingAndLeavesItsShareToTheOthers() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).initialRate(4000).build());
        e.onReceiverStarted(0, sink);
        e.onReceiverStarted(1, sink);
        int[] both = {0, 1};
        e.onBatchSubmitted(submitted(1000, both, new long[] {4_000, 4_000}), sink);
        e.onBatchCompleted(completed(1000, both, new long[] {4_000, 4_000}, 1000, 1800), sink);
        assertEquals(4950, sink.latest(0));
        e.onBatchSubmitted(submitted(2000, new int[] {0}, new long[] {4_950}), sink);
        assertEquals(9900, sink.latest(0), "stream 1 is quiet with no use: its share goes to stream 0");
        assertEquals(990, sink.latest(1), "room to grow: a tenth of the busy share (over-committed)");
    }

    // ---- probing when under-utilised

    @Test
    void underUtilisedHeldStreamIsProbedUpwards() {
        AdaptiveRateEstimator e = sixFullBatchesWithAWideBand();
        long t = 7000;
        assertEquals(9900, sink.latest(0));
        e.onBatchSubmitted(submitted(t, 9_900), sink);
        e.onBatchCompleted(completed(t, 9_900, t, t + 500), sink);
        assertTrue(sink.latest(0) >= 10_890, "at least 1.1 × 9 900: " + sink.latest(0));
    }

    @Test
    void theProbeScalesWhatTheMeasuredBatchHeldNotABoundRaisedSince() {
        AdaptiveRateEstimator e = sixFullBatchesWithAWideBand();
        long t = 7000;
        e.onBatchSubmitted(submitted(t, 20_000), sink); // a burst: 2 s of work, the bound is cut
        e.onBatchSubmitted(submitted(t + 1000, 4_900), sink); // held at the cut bound, the burst still running
        e.onBatchCompleted(completed(t, 20_000, t, t + 1050), sink); // the burst ends early: the bound rises
        long raised = sink.latest(0);
        e.onBatchCompleted(completed(t + 1000, 4_900, t + 1050, t + 1350), sink); // 4 900 records in 300 ms
        long probed = sink.latest(0);
        // the probe may double what that batch held (9 800/s); doubling the raised bound would plan 2 s batches
        assertTrue(probed < 1.2 * raised, "raised " + raised + ", after the probe " + probed);
    }

    /**
     * Batches at 1 000 … 6 000 of 9 900 records taking 990 ms, with a band so wide that a faster batch is noise to the
     * cost model: only the probe can raise the bound.
     */
    private AdaptiveRateEstimator sixFullBatchesWithAWideBand() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).costChangeBand(0.9)
                .build());
        for (long t = 1000; t <= 6000; t += 1000) {
            e.onBatchSubmitted(submitted(t, 9_900), sink);
            e.onBatchCompleted(completed(t, 9_900, t, t + 990), sink);
        }
        return e;
    }

    // ---- limits

    @Test
    void boundsStayWithinMinAndMax() {
        AdaptiveRateEstimator e = new AdaptiveRateEstimator(EstimatorSettings.builder(1000).minRate(500).maxRate(8000)
                .build());
        e.onBatchSubmitted(submitted(1000, 9_900), sink);
        assertEquals(8000, sink.latest(0));
        e.onBatchCompleted(completed(1000, 9_900, 1000, 1990), sink);
        assertEquals(8000, sink.latest(0));
        e.onBatchSubmitted(submitted(2000, 80_000), sink); // 8 s of work queued
        assertEquals(500, sink.latest(0));
    }
}
