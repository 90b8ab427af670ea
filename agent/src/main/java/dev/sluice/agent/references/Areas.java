package dev.sluice.agent.references;

import dev.sluice.agent.Hooks;
import dev.sluice.agent.KafkaHooks;
import dev.sluice.agent.SqlHooks;
import dev.sluice.kafka.driver.KafkaDirectSupport;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Every instrumented area of the host. */
public final class Areas {

    private static final List<String> SPARK_AND_SCALA = ReferenceArea.list("org/apache/spark/", "scala/");

    /**
     * Receiver streams: the store/rate and streaming context advice ({@code dev.sluice.receiver.advice}), the driver,
     * executor and memory-guard runtime it calls ({@code dev.sluice.receiver.driver}, {@code .executor},
     * {@code .guard}), and the runtime every area shares ({@code dev.sluice.runtime}).
     * {@code BlockGenerator.receiverId} is read by reflection (it is private), so it is named here.
     */
    public static final ReferenceArea RECEIVER = new ReferenceArea("receiver",
            ReferenceArea.list("dev/sluice/receiver/", "dev/sluice/runtime/"), SPARK_AND_SCALA, Hooks.ALL,
            Collections.singletonList(new String[] {
                    "declared-field org.apache.spark.streaming.receiver.BlockGenerator receiverId",
                    "dev.sluice.receiver.executor.BoundHooks"}));

    /**
     * Kafka direct streams (spark-streaming-kafka-0-10): the planning advice and its driver runtime. Named here, since
     * no bytecode shows them: the stream's {@code ppc}, which the advice passes on as an Object and the runtime uses as
     * a {@code PerPartitionConfig}; that class's rates and Scala's {@code Map.updated} (whose erased return type
     * differs between 2.12 and 2.13, hence none here), called by reflection. {@code org/apache/kafka/} is a host
     * package so that a reference to a Kafka client type cannot escape the list.
     */
    public static final ReferenceArea KAFKA_DIRECT = new ReferenceArea("kafka-direct",
            ReferenceArea.list("dev/sluice/kafka/"),
            ReferenceArea.list("org/apache/spark/", "scala/", "org/apache/kafka/"),
            KafkaHooks.ALL, Arrays.asList(
                    new String[] {"declared-field " + KafkaHooks.DIRECT_STREAM
                            + " ppc Lorg/apache/spark/streaming/kafka010/PerPartitionConfig;",
                            "dev.sluice.kafka.driver.PartitionRates"},
                    new String[] {"method " + KafkaDirectSupport.PER_PARTITION_CONFIG_CLASS
                            + " maxRatePerPartition (Lorg/apache/kafka/common/TopicPartition;)J",
                            "dev.sluice.kafka.driver.PartitionRates"},
                    new String[] {"method " + KafkaDirectSupport.PER_PARTITION_CONFIG_CLASS
                            + " minRatePerPartition (Lorg/apache/kafka/common/TopicPartition;)J",
                            "dev.sluice.kafka.driver.PartitionRates"},
                    new String[] {
                            "method scala.collection.immutable.Map updated (Ljava/lang/Object;Ljava/lang/Object;)",
                            "dev.sluice.kafka.driver.ScalaOffsets"}));

    /**
     * Structured Streaming, Kafka v2 sources: the latestOffset advice and the runtime (driver). The engine's planning
     * hook has no single descriptor (SqlHooks), so only the source's hook is named; the area is checked where the
     * connector loads, not at start-up (not in {@link #SPARK}).
     */
    public static final ReferenceArea SQL_KAFKA = new ReferenceArea("sql-kafka", ReferenceArea.list("dev/sluice/sql/"),
            SPARK_AND_SCALA, SqlHooks.KAFKA, Collections.<String[]>emptyList());

    /**
     * Structured Streaming, Kafka v1 sources ({@code KafkaSource}, the DSv1 path): the same advice and runtime as
     * {@link #SQL_KAFKA}, checked apart so that a connector whose v1 source differs leaves only v1 uninstrumented.
     */
    public static final ReferenceArea SQL_KAFKA_V1 = new ReferenceArea("sql-kafka-v1",
            ReferenceArea.list("dev/sluice/sql/"), SPARK_AND_SCALA, SqlHooks.KAFKA_V1, Collections.<String[]>emptyList());

    /**
     * Structured Streaming, file sources ({@code FileStreamSource}) up to Spark 4.0: the same advice and runtime as
     * {@link #SQL_KAFKA}, on the file source's latestOffset. Checked in the loader that loads the file source.
     */
    public static final ReferenceArea SQL_FILES = new ReferenceArea("sql-files", ReferenceArea.list("dev/sluice/sql/"),
            SPARK_AND_SCALA, SqlHooks.FILES, Collections.<String[]>emptyList());

    /** {@link #SQL_FILES} from Spark 4.1, where the file source moved to {@code execution.streaming.runtime}. */
    public static final ReferenceArea SQL_FILES_41 = new ReferenceArea("sql-files-41",
            ReferenceArea.list("dev/sluice/sql/"), SPARK_AND_SCALA, SqlHooks.FILES_41,
            Collections.<String[]>emptyList());

    /** Every area: the build writes a reference file for each. */
    public static final List<ReferenceArea> ALL = Collections.unmodifiableList(Arrays.asList(RECEIVER, KAFKA_DIRECT,
            SQL_KAFKA, SQL_KAFKA_V1, SQL_FILES, SQL_FILES_41));

    /**
     * The areas over Spark's own classes: checked at start-up against the system class loader (or per loader when their
     * classes load later) and installed only in the class loader of Sluice's runtime. {@link #KAFKA_DIRECT} is not
     * among them: its connector usually comes with the application, so {@code KafkaInstall} checks it in whichever
     * loader defines the connector.
     */
    public static final List<ReferenceArea> SPARK = Collections.unmodifiableList(Arrays.asList(RECEIVER));

    private Areas() {
    }
}
