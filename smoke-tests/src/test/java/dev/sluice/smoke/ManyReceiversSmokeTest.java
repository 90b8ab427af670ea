package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.smoke.OverloadRunData.Batch;
import dev.sluice.testbed.cluster.SparkVersion;

/**
 * Sixteen receivers in one StreamingContext on real multi-JVM Spark 3.5.7 (local-cluster[2,10,1024]: 20 task slots on
 * the machine's 2 CPUs; the receivers hold 16, the other 4 process the union of the streams), each offering
 * {@value #RATE_PER_RECEIVER} records/s, several times its fair share of what the job processes. With the agent
 * (throttle, the default): the delay converges and stays under two intervals, every stream stays within its own bound,
 * no stream is starved (each one's admitted rate is within a factor {@value #FAIR_FACTOR} of the fair share: the total
 * processed ÷ 16, since every stream is held), and the counters add up on every stream.
 */
class ManyReceiversSmokeTest extends OneSparkLineSmokeTest {

    static final int RECEIVERS = 16;
    static final int CORES_PER_WORKER = 10;
    static final long RATE_PER_RECEIVER = 1000;
    static final int RUN_SECONDS = 90;
    static final double FAIR_FACTOR = 2.0;

    @Override
    SparkVersion version() {
        return SparkVersion.SPARK_3_5;
    }

    @Test
    void everyStreamBoundedNoneStarvedDelaySteady() {
        // An initial bound below the cold capacity (16 x 100/s) keeps the start-up backlog small; the minimum is
        // lowered so that 16 streams at Spark's 100/s floor do not by themselves exceed what the job processes.
        Map<String, String> props = Map.of("sluice.rate.initial", "100", "sluice.rate.min", "10");
        OverloadRunData d = OverloadRunner.runSingleReceivers(home, "16-receivers", RUN_SECONDS, RATE_PER_RECEIVER,
                RECEIVERS, CORES_PER_WORKER, props);
        assertEquals(0, d.run.exitCode(), "driver exit code; " + d.run + "\n" + d.run.driverStderrTail(40));
        List<Batch> judged = OverloadChecks.converged(d);
        OverloadChecks.assertDelayUnderTwoIntervals("16 receivers", judged);
        double seconds = judged.size() * OverloadRunner.BATCH_MS / 1000.0;
        double[] rate = new double[RECEIVERS];
        double total = 0;
        for (int s = 0; s < RECEIVERS; s++) {
            for (Batch b : judged) {
                rate[s] += b.records()[s];
            }
            rate[s] /= seconds;
            total += rate[s];
        }
        double share = total / RECEIVERS;
        assertTrue(total < RECEIVERS * RATE_PER_RECEIVER / 2.0, "processed " + total + "/s: the job was not "
                + "overloaded, so this run judges nothing");
        StringBuilder fig = new StringBuilder(String.format("%s %d receivers, %d/s offered each: converged at %d ms "
                        + "after the first data, %d batches judged, scheduling delay max %d ms; processed %.0f/s in all, "
                        + "fair share %.0f/s", version(), RECEIVERS, RATE_PER_RECEIVER,
                judged.get(0).timeMs() - d.dataBatches().get(0).timeMs(), judged.size(),
                OverloadChecks.maxSchedulingDelay(judged), total, share));
        double lowest = Double.POSITIVE_INFINITY;
        double highest = 0;
        for (int s = 0; s < RECEIVERS; s++) {
            String what = "stream " + s;
            String bound = OverloadChecks.assertWithinBound("16 receivers", d, s, judged);
            String counters = OverloadChecks.assertCountersAddUp("16 receivers", d, s);
            assertTrue(d.receiverSkipped(s) > 0, what + ": its source was never held back (offered no more than "
                    + "its share?)");
            assertTrue(rate[s] >= share / FAIR_FACTOR && rate[s] <= share * FAIR_FACTOR, String.format("%s: admitted "
                    + "%.0f/s, fair share %.0f/s (allowed within a factor %.1f)", what, rate[s], share, FAIR_FACTOR));
            lowest = Math.min(lowest, rate[s]);
            highest = Math.max(highest, rate[s]);
            fig.append(String.format("%n    stream %d: %.0f/s (%.2f of the share); %s; %s", s, rate[s],
                    rate[s] / share, bound, counters));
        }
        fig.append(String.format("%n    per-stream rate %.0f..%.0f/s = %.2f..%.2f of the fair share", lowest, highest,
                lowest / share, highest / share));
        Figures.record(fig.toString());
    }
}
