package dev.sluice.rate.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.rate.sim.SimulatedStreamingJob.Admission;
import dev.sluice.rate.sim.SimulatedStreamingJob.Batch;

class NoisyClusterSimulationTest {

    @Test
    void experiment() {
        String[] names = {"default", "drain4s", "band0.3", "speedup0.5", "window20", "band0.3+drain4s"};
        java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>[] v = new java.util.function.UnaryOperator[] {
            (java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>) b -> b,
            (java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>) b -> b.drainHorizonMs(4000),
            (java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>) b -> b.costChangeBand(0.3),
            (java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>) b -> b.costSpeedUpWeight(0.5),
            (java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>) b -> b.costWindowBatches(20),
            (java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder>) b -> b.costChangeBand(0.3).drainHorizonMs(4000),
        };
        for (int k = 0; k < names.length; k++) {
            for (double jit : new double[] {0.0, 0.05, 0.12}) {
                run(names[k], v[k], jit);
            }
        }
    }

    void run(String name, java.util.function.UnaryOperator<dev.sluice.rate.EstimatorSettings.Builder> v, double jit) {
        double sum = 0;
        double min = 1;
        int maxSteady = 0;
        for (long seed = 1; seed <= 20; seed++) {
            SimulatedStreamingJob.Config c = Scenarios.base().overheadMs(150).perRecordMs(1.0).jitter(jit)
                    .outliers(jit == 0 ? 0 : 0.06, 1.4).admission(Admission.PLANNED).phase(0.5).seed(seed).durationMs(90_000);
            double offered = 5 * c.sustainableRate();
            c.stream(t -> t < 1 ? offered * 1000 * 75 / 5 : offered); // a backlog of 75 s at the start
            SimulationResult r = new SimulatedStreamingJob(c).run(dev.sluice.rate.RateEstimators.create(v.apply(dev.sluice.rate.EstimatorSettings.builder(1000)).build()));
            double ratio = smokeRatio(r.batches());
            sum += ratio;
            min = Math.min(min, ratio);
            maxSteady = Math.max(maxSteady, r.firstSteadyBatch());
        }
        System.out.printf("%s jitter %.2f: mean %.3f min %.3f steady<=%d%n", name, jit, sum / 20, min, maxSteady);
    }

    static double smokeRatio(List<Batch> batches) {
        int from = batches.size();
        for (int i = batches.size() - 1; i >= 0 && batches.get(i).schedulingDelayMs() < 1000; i--) {
            from = i;
        }
        List<Batch> judged = batches.subList(from, batches.size());
        double[] rates = judged.stream().filter(b -> b.totalRecords() > 0 && b.processingMs() > 0)
                .mapToDouble(b -> b.totalRecords() * 1000.0 / b.processingMs()).sorted().toArray();
        if (rates.length == 0) {
            return 0;
        }
        double capacity = rates[rates.length / 2];
        long records = judged.stream().mapToLong(Batch::totalRecords).sum();
        double span = judged.size();
        return records / span / capacity;
    }
}
