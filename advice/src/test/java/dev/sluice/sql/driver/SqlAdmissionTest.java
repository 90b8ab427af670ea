package dev.sluice.sql.driver;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The limit substitution, with Spark's real ReadLimit classes (catalyst 3.5.7). */
class SqlAdmissionTest {

    private final Object source = new Object();

    private static QueryAdmission query() {
        return new QueryAdmission("'q'", 2000, 100, RateEstimators.create(EstimatorSettings.builder(2000).build()),
                line -> { });
    }

    @Test
    void allAvailableBecomesMaxRows() {
        assertEquals(ReadLimit.maxRows(200), SqlAdmission.limitFor(query(), source, ReadLimit.allAvailable()));
    }

    @Test
    void theUsersMaxRowsIsTheCeiling() {
        assertEquals(ReadLimit.maxRows(150), SqlAdmission.limitFor(query(), source, ReadLimit.maxRows(150)));
        assertEquals(ReadLimit.maxRows(200), SqlAdmission.limitFor(query(), source, ReadLimit.maxRows(10_000)));
    }

    @Test
    void minRowsAndCompositeLimitsAreKeptAsSet() {
        ReadLimit min = ReadLimit.minRows(500, 60_000);
        ReadLimit composite = ReadLimit.compositeLimit(new ReadLimit[] {min, ReadLimit.maxRows(10_000)});
        QueryAdmission query = query();
        assertSame(min, SqlAdmission.limitFor(query, source, min));
        assertSame(composite, SqlAdmission.limitFor(query, new Object(), composite));
    }

    @Test
    void outsideAGovernedPlanningTheLimitIsUntouched() {
        ReadLimit all = ReadLimit.allAvailable();
        assertSame(all, SqlAdmission.limitFor(null, source, all));
        assertSame(all, SqlAdmission.limitFor(source, all)); // no query current on this thread
    }

    @Test
    void theTriggerStartComesFromProgressTimestamp() {
        assertEquals(1_764_759_600_123L, SqlAdmission.startMs("2025-12-03T11:00:00.123Z", 500));
    }
}
