package dev.sluice.receiver.driver;

import dev.sluice.rate.AdaptiveRateEstimator;
import dev.sluice.rate.BatchSample;
import dev.sluice.rate.EstimatorSettings;
import dev.sluice.runtime.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The driver side of one StreamingContext, with a recording channel instead of Spark's RPC. */
class DriverContextTest {

    private final List<long[]> sent = new ArrayList<long[]>();
    private final List<String> logged = new ArrayList<String>();
    private final RateUpdateChannel channel = new RateUpdateChannel() {
        @Override
        public void send(int streamId, long recordsPerSecond) {
            sent.add(new long[] {streamId, recordsPerSecond});
        }
    };

    private DriverContext context(boolean sparkBackpressure, int... ids) {
        LogCapture.into(logged);
        DriverContext c = new DriverContext("StreamingContext #test", null, 1000, sparkBackpressure, null);
        for (int id : ids) {
            c.govern(id, channel);
        }
        return c;
    }

    @AfterEach
    void cleanUp() {
        LogCapture.reset();
        for (DriverStream s : DriverStreams.all()) {
            DriverStreams.remove(s);
        }
    }

    @Test
    void aReceiverAdmitsContinuouslyADirectStreamIsPlannedOncePerBatch() {
        DriverContext c = context(false, 0);
        c.govern(1, PlannedAtBatchTime.INSTANCE);
        assertTrue(c.admitsContinuously(0), "a receiver stores all through the interval at the bound in force");
        assertFalse(c.admitsContinuously(1), "a direct stream's batch is planned once, from the latest bound");
    }

    @Test
    void withSparkBackpressureOffSparkPublishesEvenWhereSluiceHasABound() {
        DriverContext c = context(false, 0);
        c.publish(0, 500);
        assertFalse(c.overridesSparkPublication(0), "Spark's back-pressure is off: its controllers are not taken over");
    }

    @Test
    void withSparkBackpressureOnSparkPublishesUntilSluiceHasABoundForThatStream() {
        DriverContext c = context(true, 0, 1);
        assertFalse(c.overridesSparkPublication(0), "no bound of Sluice's yet: Spark's rate must reach the receiver");
        c.publish(0, 500);
        assertTrue(c.overridesSparkPublication(0));
        assertFalse(c.overridesSparkPublication(1), "stream 1 has no bound of Sluice's yet");
        assertFalse(c.overridesSparkPublication(7), "stream 7 is not governed by Sluice");
        assertTrue(c.overridesSparkPublication(0));
        int lines = 0;
        for (String l : logged) {
            if (l.contains("no longer publishes")) {
                lines++;
                assertTrue(l.contains("stream 0") && l.contains("500/s"), l);
            }
        }
        assertEquals(1, lines, "one line when Sluice takes over: " + logged);
    }

    @Test
    void aRetiredContextSendsNothingTakesOverNothingAndLeavesTheMetrics() {
        DriverContext c = context(true, 0);
        c.publish(0, 500);
        assertEquals(1, DriverStreams.all().size());
        c.retire();
        sent.clear();
        c.publish(0, 600);
        c.resendAll();
        c.receiverStarted(0);
        assertTrue(sent.isEmpty(), "a stopped context sent bounds");
        assertFalse(c.overridesSparkPublication(0));
        assertTrue(DriverStreams.all().isEmpty(), "a stopped context's streams are still in the metrics");
    }

    @Test
    void boundsForStreamsItDoesNotGovernAreIgnored() {
        DriverContext c = context(false, 0);
        c.publish(3, 700);
        c.receiverStarted(3);
        assertTrue(sent.isEmpty());
        assertEquals(1, DriverStreams.all().size());
    }

    /** Batches as a ManualClock (batch times from 0) and Spark's wall-clock stamps report them, through the listener. */
    @Test
    void aManualBatchClockDoesNotPinTheStreamsAtTheMinimumRate() {
        LogCapture.reset();
        DriverContext c = new DriverContext("StreamingContext #manual", new AdaptiveRateEstimator(
                EstimatorSettings.builder(1000).minRate(100).build()), 1000, false, null);
        c.govern(0, channel);
        long wall = System.currentTimeMillis(); // Spark stamps these with the wall clock; the value is only data here
        for (int k = 1; k <= 6; k++) {
            long batchTime = k * 1000L;
            long submitted = wall + k * 1000L;
            c.batchSubmitted(new BatchSample(batchTime, 1000, submitted, -1, -1, new int[] {0}, new long[] {4000}));
            c.batchCompleted(new BatchSample(batchTime, 1000, submitted, submitted + 2, submitted + 402,
                    new int[] {0}, new long[] {4000}));
        }
        long bound = c.stream(0).bound();
        assertTrue(bound > 5000, "4 000 records in 400 ms of a 1 s batch: the bound should be near 9 900/s, was "
                + bound);
    }
}
