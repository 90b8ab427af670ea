package dev.sluice.sql.driver;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimators;
import dev.sluice.sql.driver.SqlAdmission.SourceKind;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The limit substitution, with Spark's real ReadLimit classes (catalyst 3.5.7): each source kind gets only the kind of
 * limit it accepts (3.5's file source throws a MatchError on any other), and a source of any other class keeps its
 * limit.
 */
class SqlAdmissionTest {

    private final Object source = new Object();

    private static QueryAdmission query() {
        return new QueryAdmission("'q'", 2000, 100, RateEstimators.create(EstimatorSettings.builder(2000).build()),
                line -> { });
    }

    @Test
    void allAvailableBecomesMaxRows() {
        assertEquals(ReadLimit.maxRows(200), SqlAdmission.limitFor(query(), source, SourceKind.KAFKA, ReadLimit.allAvailable()));
    }

    @Test
    void theUsersMaxRowsIsTheCeiling() {
        assertEquals(ReadLimit.maxRows(150), SqlAdmission.limitFor(query(), source, SourceKind.KAFKA, ReadLimit.maxRows(150)));
        assertEquals(ReadLimit.maxRows(200), SqlAdmission.limitFor(query(), source, SourceKind.KAFKA, ReadLimit.maxRows(10_000)));
    }

    @Test
    void minRowsAndCompositeLimitsAreKeptAsSet() {
        ReadLimit min = ReadLimit.minRows(500, 60_000);
        ReadLimit composite = ReadLimit.compositeLimit(new ReadLimit[] {min, ReadLimit.maxRows(10_000)});
        QueryAdmission query = query();
        assertSame(min, SqlAdmission.limitFor(query, source, SourceKind.KAFKA, min));
        assertSame(composite, SqlAdmission.limitFor(query, new Object(), SourceKind.KAFKA, composite));
    }

    @Test
    void aFileSourceGetsMaxFilesFromAllAvailableAndNeverAnotherKind() {
        assertEquals(ReadLimit.maxFiles(1), SqlAdmission.limitFor(query(), source, SourceKind.FILES,
                ReadLimit.allAvailable()));
        assertEquals(ReadLimit.maxFiles(1), SqlAdmission.limitFor(query(), source, SourceKind.FILES,
                ReadLimit.maxFiles(500)));
    }

    @Test
    void aFileSourceWithAnotherKindKeepsItAsSet() {
        ReadLimit rows = ReadLimit.maxRows(1000); // a kind the file source does not use
        assertSame(rows, SqlAdmission.limitFor(query(), source, SourceKind.FILES, rows));
        assertSame(rows, SqlAdmission.limitFor(query(), source, SourceKind.FILES, rows, true),
                "only a ReadMaxBytes becomes a bytes limit, even where the source reports its bytes");
    }

    @Test
    void bytesTakenOutsideAGovernedPlanningOrForAFilesLimitAreIgnored() {
        SqlAdmission.filesTaken(source, new scala.Tuple2<Object, Object>("taken", "rest")); // no query current
        QueryAdmission query = query();
        assertEquals(ReadLimit.maxFiles(1), SqlAdmission.limitFor(query, source, SourceKind.FILES,
                ReadLimit.allAvailable()));
        query.bytesTaken(source, 1_000_000, 5_000_000);
        assertEquals(-1, query.status().sources.get(0).backlog, "a files limit: no bytes backlog");
        assertEquals("files", query.status().sources.get(0).unit);
    }

    @Test
    void theKindIsDecidedByTheSourcesClassName() {
        assertEquals(SourceKind.KAFKA, SourceKind.of("org.apache.spark.sql.kafka010.KafkaMicroBatchStream"));
        assertEquals(SourceKind.FILES, SourceKind.of("org.apache.spark.sql.execution.streaming.FileStreamSource"));
        assertEquals(SourceKind.FILES,
                SourceKind.of("org.apache.spark.sql.execution.streaming.runtime.FileStreamSource"));
        assertEquals(SourceKind.KAFKA, SourceKind.of("org.apache.spark.sql.kafka010.KafkaSource"), "Kafka v1");
        assertEquals(SourceKind.OTHER, SourceKind.of("org.apache.spark.sql.delta.sources.DeltaSource"));
    }

    @Test
    void aSourceOfAnyOtherClassKeepsItsLimitEvenInsideAGovernedQuery() {
        ReadLimit all = ReadLimit.allAvailable();
        ReadLimit files = ReadLimit.maxFiles(1000);
        QueryAdmission query = query();
        assertSame(all, SqlAdmission.limitFor(query, source, all, true)); // java.lang.Object: neither Kafka v2 nor files
        assertSame(files, SqlAdmission.limitFor(query, source, files, true));
    }

    @Test
    void outsideAGovernedPlanningTheLimitIsUntouched() {
        ReadLimit all = ReadLimit.allAvailable();
        assertSame(all, SqlAdmission.limitFor(null, source, all, true));
        assertSame(all, SqlAdmission.limitFor(source, all)); // no query current on this thread
    }

    @Test
    void theTriggerStartComesFromProgressTimestamp() {
        assertEquals(1_764_759_600_123L, SqlAdmission.startMs("2025-12-03T11:00:00.123Z", 500));
    }
}
