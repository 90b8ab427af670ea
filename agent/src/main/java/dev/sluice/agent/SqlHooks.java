package dev.sluice.agent;

import dev.sluice.sql.driver.SqlAdmission;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The Structured Streaming area (Kafka v2 micro-batch sources), verified with {@code javap -p -s} on
 * spark-sql-kafka-0-10_2.12 3.5.7 and _2.13 4.0.1 / 4.1.0 (identical), spark-sql / spark-catalyst / spark-sql-api
 * 3.5.7 (2.12) and 4.1.0 (2.13).
 *
 * <ul>
 * <li>Enforcement: {@code KafkaMicroBatchStream.latestOffset(Offset, ReadLimit)}, one descriptor everywhere: a
 * {@link HookPoint}, so its reference file is generated ({@code references/Areas#SQL_KAFKA}) and checked in the class
 * loader that loads the connector.</li>
 * <li>Measure and scope: {@code MicroBatchExecution.constructNextBatch}, private, {@code (Z)Z} in 3.5,
 * {@code (L…/execution/streaming/MicroBatchExecutionContext;Z)Z} in 4.0 and {@code (L…/streaming/runtime/…;Z)Z} in 4.1
 * (the engine moved to {@code execution.streaming.runtime}): matched by name and boolean return in both packages. Not a
 * {@link HookPoint}: no single descriptor exists. If it is absent or different, no query is ever made current and
 * {@code latestOffset} keeps Spark's limit.</li>
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

    public static final List<HookPoint> KAFKA = Collections.singletonList(
            new HookPoint(KAFKA_STREAM, "latestOffset",
                    "(" + READ_STREAMING + "Offset;" + READ_STREAMING + "ReadLimit;)" + READ_STREAMING + "Offset;",
                    dev.sluice.sql.advice.LatestOffsetAdvice.class));

    private SqlHooks() {
    }
}
