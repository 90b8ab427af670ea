package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingBatchesTest {
    private static BatchCostModel tenthOfAMsPerRecord() {
        BatchCostModel m = new BatchCostModel(EstimatorSettings.builder(1000).build());
        m.observe(10_000, 1000);
        return m;
    }

    @Test
    void remainingWorkOfRunningAndQueuedBatches() {
        PendingBatches p = new PendingBatches();
        p.submitted(1000, 1000, 15_000); // 1.5 s of work, running since 1000
        p.submitted(2000, 2000, 5_000);  // 0.5 s, queued
        assertEquals(500 + 500, p.remainingWorkMs(2000, tenthOfAMsPerRecord()), 1e-9);
        assertTrue(p.hasOlderNonEmptyThan(2000));
    }

    @Test
    void overrunningBatchIsAssumedToNeedItsOverrunAgain() {
        PendingBatches p = new PendingBatches();
        p.submitted(1000, 1000, 5_000); // predicted 0.5 s, still running after 0.8 s
        assertEquals(300, p.remainingWorkMs(1800, tenthOfAMsPerRecord()), 1e-9);
    }

    @Test
    void aCompletionAlsoClearsOlderBatchesWhoseEventsWereLost() {
        PendingBatches p = new PendingBatches();
        p.submitted(1000, 1000, 100);
        p.submitted(2000, 2000, 100);
        p.submitted(3000, 3000, 100);
        p.completed(2000, 2500);
        assertEquals(1, p.size());
        assertFalse(p.hasOlderNonEmptyThan(3000));
        assertEquals(0, p.headElapsedMs(2800), "the head starts when it is submitted, after the last completion");
    }

    @Test
    void headStartsWhenItsPredecessorCompletes() {
        PendingBatches p = new PendingBatches();
        p.submitted(1000, 1000, 100);
        p.submitted(2000, 2000, 100);
        p.completed(1000, 2600);
        assertEquals(400, p.headElapsedMs(3000), 1e-9);
    }
}
