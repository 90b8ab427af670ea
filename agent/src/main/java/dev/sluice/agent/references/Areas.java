package dev.sluice.agent.references;

import dev.sluice.agent.Hooks;
import dev.sluice.agent.SqlHooks;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Every instrumented area of the host. */
public final class Areas {

    private static final List<String> SPARK_AND_SCALA = ReferenceArea.list("org/apache/spark/", "scala/");

    /**
     * Receiver streams: the store/rate advice, the runtime it calls (executor and driver side), and the streaming
     * context hooks. {@code BlockGenerator.receiverId} is read by reflection (it is private), so it is named here.
     */
    public static final ReferenceArea RECEIVER = new ReferenceArea("receiver",
            ReferenceArea.list("dev/sluice/advice/", "dev/sluice/runtime/"), SPARK_AND_SCALA, Hooks.ALL,
            Collections.singletonList(new String[] {
                    "declared-field org.apache.spark.streaming.receiver.BlockGenerator receiverId",
                    "dev.sluice.runtime.BoundHooks"}));

    public static final List<ReferenceArea> ALL = Collections.unmodifiableList(Arrays.asList(RECEIVER));

    /**
     * Structured Streaming, Kafka v2 sources: the latestOffset advice and the runtime (driver). The engine's planning
     * hook has no single descriptor (SqlHooks), so only the source's hook is named; the area is checked where the
     * connector loads, not at start-up (not in {@link #ALL}).
     */
    public static final ReferenceArea SQL_KAFKA = new ReferenceArea("sql-kafka", ReferenceArea.list("dev/sluice/sql/"),
            SPARK_AND_SCALA, SqlHooks.KAFKA, Collections.<String[]>emptyList());

    /** Every area whose reference file the build generates. */
    public static final List<ReferenceArea> GENERATED = Collections.unmodifiableList(Arrays.asList(RECEIVER, SQL_KAFKA));

    private Areas() {
    }
}
