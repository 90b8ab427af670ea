package dev.sluice.agent;

import dev.sluice.sql.driver.SqlAdmission;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The Structured Streaming areas (Kafka v2 micro-batch sources, file sources), verified with {@code javap -p -s} on
 * spark-sql-kafka-0-10_2.12 3.5.7 and _2.13 4.0.1 / 4.1.0 (identical), spark-sql / spark-catalyst / spark-sql-api
 * 3.5.7 (2.12) and 4.1.0 (2.13).
 *
 * <ul>
 * <li>Enforcement: {@code KafkaMicroBatchStream.latestOffset(Offset, ReadLimit)}, one descriptor everywhere: a
 * {@link HookPoint}, so its reference file is generated ({@code references/Areas#SQL_KAFKA}) and checked in the class
 * loader that loads the connector.</li>
 * <li>Enforcement on file sources: {@code FileStreamSource.latestOffset(Offset, ReadLimit)}, the same descriptor, in
 * {@code org.apache.spark.sql.execution.streaming} up to 4.0 and {@code …execution.streaming.runtime} from 4.1
 * ({@code javap -p -s} on spark-sql_2.12 3.5.7 and spark-sql_2.13 4.1.0). One area per package
 * ({@code Areas#SQL_FILES}, {@code Areas#SQL_FILES_41}): an area is a mismatch when any of its references is missing,
 * and each line has only one of the two classes. Checked when the class loads, in its loader.</li>
 * <li>Measure and scope: {@code MicroBatchExecution.constructNextBatch}, private, {@code (Z)Z} in 3.5,
 * {@code (L…/execution/streaming/MicroBatchExecutionContext;Z)Z} in 4.0 and {@code (L…/streaming/runtime/…;Z)Z} in 4.1
 * (the engine moved to {@code execution.streaming.runtime}): matched by name and boolean return in both packages. Not a
 * {@link HookPoint}: no single descriptor exists. Checked when the class loads ({@link PlanningCheck}): absent,
 * ambiguous or without the members the runtime reads, it is left unadvised with one line, no query is ever made current
 * and {@code latestOffset} keeps Spark's limit.</li>
 * </ul>
 */
public final class SqlHooks {

    static final String KAFKA_STREAM = SqlAdmission.KAFKA_V2;
    static final String READ_STREAMING = "Lorg/apache/spark/sql/connector/read/streaming/";

    /** The engine's planning class before and after 4.1's package move. */
    static final List<String> MICRO_BATCH_EXECUTIONS = Collections.unmodifiableList(Arrays.asList(
            "org.apache.spark.sql.execution.streaming.MicroBatchExecution",
            "org.apache.spark.sql.execution.streaming.runtime.MicroBatchExecution"));
    static final String PLANNING_METHOD = "constructNextBatch";
    static final String PLANNING_ADVICE = "dev.sluice.sql.advice.PlanningAdvice";

    static final String LATEST_OFFSET = "latestOffset";
    static final String LATEST_OFFSET_DESCRIPTOR =
            "(" + READ_STREAMING + "Offset;" + READ_STREAMING + "ReadLimit;)" + READ_STREAMING + "Offset;";

    /**
     * The file source's {@code takeFilesUntilMax}: {@code private scala.Tuple2<FilesSplit, FilesSplit>
     * takeFilesUntilMax(scala.collection.immutable.Seq<NewFileEntry>, long)}, the same in spark-sql_2.13 4.0.1
     * ({@code execution.streaming}), 4.1.0 and 4.2.0 ({@code …runtime}), {@code javap -p -s}; called once per planning
     * under a {@code maxBytesPerTrigger} limit. Not a {@link HookPoint}: a Spark without it keeps {@code maxFiles}
     * governed; checked when the class loads ({@link FilesTakenCheck}).
     */
    static final String TAKE_FILES = "takeFilesUntilMax";
    static final String TAKE_FILES_DESCRIPTOR = "(Lscala/collection/immutable/Seq;J)Lscala/Tuple2;";
    /** {@code FilesSplit.size()}, read by the runtime by reflection: {@code public scala.math.BigInt size()}. */
    static final String SPLIT_SIZE_DESCRIPTOR = "()Lscala/math/BigInt;";
    static final String FILES_TAKEN_ADVICE = "dev.sluice.sql.advice.FilesTakenAdvice";
    static final String BYTES_REPORTING_LATEST_OFFSET_ADVICE = "dev.sluice.sql.advice.BytesReportingLatestOffsetAdvice";

    public static final List<HookPoint> KAFKA = enforcement(KAFKA_STREAM);
    /** The Kafka v1 source ({@code KafkaSource}): the same descriptor in 3.5.7/2.12 and 4.1.0/2.13 (javap). */
    public static final List<HookPoint> KAFKA_V1 = enforcement(SqlAdmission.KAFKA_V1);
    /** The file source up to 4.0. */
    public static final List<HookPoint> FILES = enforcement(SqlAdmission.FILE_SOURCE);
    /** The file source from 4.1 (the engine's package move). */
    public static final List<HookPoint> FILES_41 = enforcement(SqlAdmission.FILE_SOURCE_41);

    private static List<HookPoint> enforcement(String source) {
        return Collections.singletonList(new HookPoint(source, LATEST_OFFSET, LATEST_OFFSET_DESCRIPTOR,
                dev.sluice.sql.advice.LatestOffsetAdvice.class));
    }

    private SqlHooks() {
    }
}
