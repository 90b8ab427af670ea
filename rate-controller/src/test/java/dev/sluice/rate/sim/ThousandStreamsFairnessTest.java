package dev.sluice.rate.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;

/**
 * 1 000 streams in one StreamingContext, unevenly loaded: 600 offered far more than any share (300–3 000 records/s,
 * spread), 300 quiet (offered 5–50 records/s, below the share), 100 silent. The job sustains 95 000 records/s
 * (50 ms + 0.01 ms per record per 1 s batch). Judged over the last 30 s of a 90 s run, against the max-min fair split
 * computed here from the offered rates (water-filling by sorting, independently of {@code FairShare}): no held stream
 * gets less than its fair share (within 10 %), every quiet stream gets what it offers, no stream that offers records
 * is starved, and the total stays within what the job sustains with no batch waiting an interval.
 */
class ThousandStreamsFairnessTest {

    private static final int HELD = 600;
    private static final int QUIET = 300;
    private static final int SILENT = 100;
    private static final int STREAMS = HELD + QUIET + SILENT;
    private static final long JUDGED_BATCHES = 30;

    @Test
    void fairSharesHoldWithAThousandStreams() {
        double[] offered = new double[STREAMS];
        SimulatedStreamingJob.Config c = Scenarios.base().overheadMs(50).perRecordMs(0.01).phase(0.3).seed(3)
                .durationMs(90_000);
        for (int s = 0; s < STREAMS; s++) {
            double rate = s < HELD ? 300 + 2700.0 * s / HELD : s < HELD + QUIET ? 5 + 45.0 * (s - HELD) / QUIET : 0;
            offered[s] = rate;
            c.stream(t -> rate);
        }
        double sustainable = c.sustainableRate();
        // Spark's 100/s floor for 1 000 streams would exceed the capacity by itself; a user with that many streams
        // lowers it.
        SimulationResult r = new SimulatedStreamingJob(c)
                .run(RateEstimators.create(EstimatorSettings.builder(Scenarios.INTERVAL_MS).minRate(1).build()));

        int last = r.batches().size();
        int from = last - (int) JUDGED_BATCHES + 1;
        double[] admitted = new double[STREAMS];
        double total = 0;
        long maxDelay = 0;
        for (int i = from; i <= last; i++) {
            SimulatedStreamingJob.Batch b = r.batch(i);
            for (int s = 0; s < STREAMS; s++) {
                admitted[s] += b.records[s] / (double) JUDGED_BATCHES;
            }
            total += b.totalRecords() / (double) JUDGED_BATCHES;
            maxDelay = Math.max(maxDelay, b.schedulingDelayMs());
        }
        double level = waterLevel(offered, total);
        double quietTotal = 0;
        double heldMin = Double.POSITIVE_INFINITY;
        double heldMax = 0;
        for (int s = 0; s < STREAMS; s++) {
            double fair = Math.min(offered[s], level);
            if (offered[s] > 0) {
                assertTrue(admitted[s] > 0, "stream " + s + " starved: offered " + offered[s] + "/s");
            }
            if (s < HELD) {
                assertTrue(admitted[s] >= 0.9 * fair, String.format("held stream %d: %.1f/s, fair share %.1f/s",
                        s, admitted[s], fair));
                heldMin = Math.min(heldMin, admitted[s]);
                heldMax = Math.max(heldMax, admitted[s]);
            } else if (s < HELD + QUIET) {
                assertTrue(admitted[s] >= 0.95 * offered[s], String.format("quiet stream %d: %.1f/s of the %.1f/s "
                        + "it offers", s, admitted[s], offered[s]));
                quietTotal += admitted[s];
            } else {
                assertTrue(admitted[s] == 0, "silent stream " + s + " stored records");
            }
        }
        assertTrue(total <= sustainable, "admitted " + total + "/s, the job sustains " + sustainable + "/s");
        assertTrue(maxDelay < Scenarios.INTERVAL_MS, "a judged batch waited " + maxDelay + " ms");
        assertTrue(total >= 0.9 * sustainable, "admitted only " + total + "/s of " + sustainable + "/s");
        System.out.printf("[sim 1000 streams] total %.0f/s of %.0f/s sustainable; fair level %.1f/s; held streams "
                        + "%.1f..%.1f/s; quiet streams %.0f/s in all (offered %.0f/s); max scheduling delay %d ms%n",
                total, sustainable, level, heldMin, heldMax, quietTotal,
                Arrays.stream(offered, HELD, HELD + QUIET).sum(), maxDelay);
    }

    /** Max-min fair level: the rate L with sum(min(offered, L)) = total (or the largest demand if all fit). */
    static double waterLevel(double[] offered, double total) {
        double[] sorted = offered.clone();
        Arrays.sort(sorted);
        double remaining = total;
        for (int i = 0; i < sorted.length; i++) {
            int open = sorted.length - i;
            if (sorted[i] * open >= remaining) {
                return remaining / open;
            }
            remaining -= sorted[i];
        }
        return sorted[sorted.length - 1];
    }
}
