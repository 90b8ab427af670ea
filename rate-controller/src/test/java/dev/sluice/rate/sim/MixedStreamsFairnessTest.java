package dev.sluice.rate.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.sluice.rate.sim.SimulatedStreamingJob.Admission;

/**
 * A receiver stream and a Kafka direct stream in one StreamingContext share one estimator: one capacity, split max-min
 * fairly whatever way each stream is admitted (the receiver's records enter as they arrive, the direct stream's are
 * planned at batch time from what waits in Kafka). Judged over the last 30 batches of a 120 s run against the split
 * computed here from the offered rates and what the job sustains (9 500 records/s): each stream within 15 % of its fair
 * share, the total at least 0.85 of what the job sustains and never above it, no judged batch waiting an interval.
 */
class MixedStreamsFairnessTest {

    private static final int JUDGED_BATCHES = 30;

    @Test
    void aReceiverStreamAndADirectStreamBothOverloadedGetHalfEach() {
        double heavy = 5 * Scenarios.sustainable();
        for (Admission receiver : new Admission[] {Admission.THROTTLE, Admission.DROP}) {
            for (long seed = 1; seed <= 5; seed++) {
                judge(receiver, heavy, heavy, seed);
            }
        }
    }

    @Test
    void aQuietReceiverStreamGetsWhatItOffersAndTheDirectStreamTheRest() {
        quietBesideHeavy(Admission.THROTTLE, true);
    }

    @Test
    void aQuietDirectStreamGetsWhatItOffersAndTheReceiverStreamTheRest() {
        quietBesideHeavy(Admission.DROP, false);
    }

    private static void quietBesideHeavy(Admission receiverAdmission, boolean receiverQuiet) {
        double quiet = 0.2 * Scenarios.sustainable();
        double heavy = 5 * Scenarios.sustainable();
        for (long seed = 1; seed <= 5; seed++) {
            judge(receiverAdmission, receiverQuiet ? quiet : heavy, receiverQuiet ? heavy : quiet, seed);
        }
    }

    private static void judge(Admission receiverAdmission, double receiverOffered, double directOffered, long seed) {
        SimulatedStreamingJob.Config c = Scenarios.base().seed(seed).durationMs(120_000)
                .stream(t -> receiverOffered, receiverAdmission)
                .stream(t -> directOffered, Admission.PLANNED);
        double sustainable = c.sustainableRate();
        SimulationResult r = new SimulatedStreamingJob(c).run(Scenarios.adaptive());

        int last = r.batches().size();
        double[] admitted = new double[2];
        long maxDelay = 0;
        for (int i = last - JUDGED_BATCHES + 1; i <= last; i++) {
            SimulatedStreamingJob.Batch b = r.batch(i);
            admitted[0] += b.records[0] / (double) JUDGED_BATCHES;
            admitted[1] += b.records[1] / (double) JUDGED_BATCHES;
            maxDelay = Math.max(maxDelay, b.schedulingDelayMs());
        }
        // Max-min fair split of what the job sustains between two streams.
        double lower = Math.min(receiverOffered, directOffered);
        double lowerShare = Math.min(lower, sustainable / 2);
        double higherShare = sustainable - lowerShare;
        double[] fair = receiverOffered <= directOffered
                ? new double[] {lowerShare, higherShare} : new double[] {higherShare, lowerShare};
        String run = String.format("receiver %s offered %.0f/s, direct offered %.0f/s, seed %d: admitted %.0f/s and "
                        + "%.0f/s, fair %.0f/s and %.0f/s, job sustains %.0f/s, max delay %d ms", receiverAdmission,
                receiverOffered, directOffered, seed, admitted[0], admitted[1], fair[0], fair[1], sustainable,
                maxDelay);
        for (int s = 0; s < 2; s++) {
            assertTrue(Math.abs(admitted[s] - fair[s]) <= 0.15 * fair[s], "stream " + s + " off its share: " + run);
        }
        double total = admitted[0] + admitted[1];
        assertTrue(total >= 0.85 * sustainable && total <= sustainable, "total off the capacity: " + run);
        assertTrue(maxDelay < Scenarios.INTERVAL_MS, "a judged batch waited an interval: " + run);
    }
}
