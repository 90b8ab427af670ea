package dev.sluice.rate.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.rate.sim.SimulatedStreamingJob.Admission;
import dev.sluice.rate.sim.SimulatedStreamingJob.Batch;

/**
 * A Kafka direct stream behind a backlog on a noisy cluster: each batch is planned at its batch time from the bound in
 * force (records wait in Kafka), batch times jitter ±5 % and one batch in 16 is a pause taking 1.4× as long (GC, a
 * neighbour), as in the direct-stream smoke runs on 2 shared cores. The pauses cost their own time whatever the
 * controller does; what it must not do is take one pause for a new cost and cut the batches after it.
 */
class NoisyClusterSimulationTest {

    private static final int SEEDS = 20;

    @Test
    void pausesDoNotCutTheBatchesAfterThem() {
        double sum = 0;
        double worst = 1;
        int latestSteady = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            SimulationResult r = new SimulatedStreamingJob(kafkaBacklog(seed)).run(Scenarios.adaptive());
            double ratio = goodputOverMedianBatchRate(r.batches());
            sum += ratio;
            worst = Math.min(worst, ratio);
            latestSteady = Math.max(latestSteady, r.firstSteadyBatch());
        }
        double mean = sum / SEEDS;
        System.out.printf("[sim noisy cluster, planned admission] %d seeds: goodput / median batch rate mean %.3f, "
                + "worst %.3f; steady by batch %d at the latest%n", SEEDS, mean, worst, latestSteady);
        assertTrue(latestSteady > 0 && latestSteady <= 15, "steady from batch " + latestSteady);
        // 1 in 16 batches 40 % slower costs 2.4 % whatever the controller does: 0.99 × 0.976 = 0.966 is the ideal
        assertTrue(mean >= 0.95, "mean " + mean);
        assertTrue(worst >= 0.93, "worst " + worst);
    }

    static SimulatedStreamingJob.Config kafkaBacklog(long seed) {
        SimulatedStreamingJob.Config c = Scenarios.base().overheadMs(150).perRecordMs(1.0).jitter(0.05)
                .outliers(1 / 16.0, 1.4).admission(Admission.PLANNED).phase(0.5).seed(seed).durationMs(90_000);
        double offered = 5 * c.sustainableRate();
        double backlogPerStep = 75 * c.sustainableRate() / 0.005; // 75 s of capacity, offered in the first 5 ms step
        return c.stream(t -> t < 5 ? backlogPerStep : offered);
    }

    /** As the direct-stream smoke test judges: records per second from the first steady batch ÷ median batch rate. */
    static double goodputOverMedianBatchRate(List<Batch> batches) {
        int from = batches.size();
        for (int i = batches.size() - 1; i >= 0 && batches.get(i).schedulingDelayMs() < 1000; i--) {
            from = i;
        }
        // the slow start's short batches are the start-up, not the steady state (SimulationResult.firstLoadedSteadyBatch)
        while (from < batches.size() - 1 && batches.get(from).processingMs() < 500) {
            from++;
        }
        List<Batch> judged = batches.subList(from, batches.size());
        double[] rates = judged.stream().filter(b -> b.totalRecords() > 0 && b.processingMs() > 0)
                .mapToDouble(b -> b.totalRecords() * 1000.0 / b.processingMs()).sorted().toArray();
        if (rates.length == 0) {
            return 0;
        }
        long records = judged.stream().mapToLong(Batch::totalRecords).sum();
        return records / (double) judged.size() / rates[rates.length / 2];
    }
}
