package dev.sluice.sql.driver;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query behind a backlog, simulated trigger by trigger with the real default estimator: a batch of r rows takes
 * 300 ms + 0.05 ms per row (capacity about 34 000 rows in a 2 s trigger), and the source admits min(limit, backlog).
 */
class QueryAdmissionTest {

    private static final long INTERVAL = 2000;
    private static final Object SOURCE = new Object();
    private static final String KAFKA = "KafkaV2[Subscribe[events]]";

    private final List<String> lines = new ArrayList<String>();

    private QueryAdmission query() {
        return new QueryAdmission("'q'", INTERVAL, 100,
                RateEstimators.create(EstimatorSettings.builder(INTERVAL).build()), lines::add);
    }

    private static long durationOf(long rows) {
        return 300 + rows / 20;
    }

    /** Runs {@code triggers} triggers against a backlog; returns each batch's admitted rows. */
    private static long[] run(QueryAdmission query, long backlog, long arrivalsPerTrigger, long userCap, int triggers) {
        long[] admitted = new long[triggers];
        long now = 1_000_000;
        for (int b = 0; b < triggers; b++) {
            long limit = query.maxRows(SOURCE, KAFKA, userCap);
            long rows = Math.min(limit, backlog);
            backlog = backlog - rows + arrivalsPerTrigger;
            admitted[b] = rows;
            long duration = durationOf(rows);
            query.completed(b, now, duration, new String[] {KAFKA}, new long[] {rows});
            now += Math.max(INTERVAL, duration);
        }
        return admitted;
    }

    @Test
    void theFirstBatchIsBoundedByTheSafeStartNotTheBacklog() {
        long[] admitted = run(query(), 2_000_000, 0, RowLimit.NO_CAP, 1);
        assertEquals(200, admitted[0]);
        assertTrue(lines.get(0).contains("first batch bounded at 200 rows"), lines.get(0));
    }

    @Test
    void batchesSettleNearTheTriggerIntervalBehindABacklog() {
        long[] admitted = run(query(), 5_000_000, 5_000, RowLimit.NO_CAP, 40);
        // From the safe start the limit grows at most twofold per batch beyond the largest batch measured (a cost line
        // fitted to small batches is not extrapolated), so 34 000 rows are reached at batch 6, not at once.
        for (int b = 1; b < admitted.length; b++) {
            assertTrue(admitted[b] <= Math.max(2 * admitted[b - 1], 2_000), "batch " + b + ": "
                    + java.util.Arrays.toString(admitted));
        }
        for (int b = 6; b < admitted.length; b++) {
            long duration = durationOf(admitted[b]);
            assertTrue(duration <= 1.1 * INTERVAL && duration >= 0.6 * INTERVAL,
                    "batch " + b + " took " + duration + " ms for " + admitted[b] + " rows: "
                            + java.util.Arrays.toString(admitted));
        }
    }

    @Test
    void theUsersMaxOffsetsPerTriggerStaysTheCeiling() {
        long[] admitted = run(query(), 5_000_000, 5_000, 7_000, 40);
        long max = 0;
        for (long a : admitted) {
            max = Math.max(max, a);
        }
        assertEquals(7_000, max, "reaches the cap once capacity allows, never more");
    }

    @Test
    void aRepeatedBatchIdIsFedOnce() {
        QueryAdmission query = query();
        query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP);
        query.completed(0, 1_000_000, 400, new String[] {KAFKA}, new long[] {200});
        long afterFirst = query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP);
        // A no-data trigger reports under an id already seen, with a duration that would cut the bound if believed.
        query.completed(0, 1_002_000, 60_000, new String[] {KAFKA}, new long[] {200});
        assertEquals(afterFirst, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
    }

    @Test
    void aSourceLeftAloneGetsNoLimit() {
        QueryAdmission query = query();
        assertTrue(query.leaveAlone(SOURCE));
        assertEquals(-1, query.maxRows(SOURCE, KAFKA, RowLimit.NO_CAP));
        assertTrue(!query.leaveAlone(SOURCE), "said once");
    }
}
