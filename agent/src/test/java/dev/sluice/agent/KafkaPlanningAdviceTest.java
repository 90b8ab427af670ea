package dev.sluice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.kafka010.ConsumerStrategies;
import org.apache.spark.streaming.kafka010.DefaultPerPartitionConfig;
import org.apache.spark.streaming.kafka010.DirectKafkaInputDStream;
import org.apache.spark.streaming.kafka010.LocationStrategies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.sluice.agent.references.Areas;
import dev.sluice.agent.references.ReferenceCheck;
import dev.sluice.kafka.driver.KafkaDirectSupport;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceRuntime;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;
import scala.Option;
import scala.Tuple2;

/**
 * The Kafka planning advice installed by the real wiring ({@link KafkaInstall}, per-loader check included) on the real
 * connector's {@code DirectKafkaInputDStream} (3.5.1/2.12) of a local StreamingContext that is never started (no
 * broker needed): {@code maxMessagesPerPartition}, the method Spark's {@code clamp} calls, returns Sluice's plan.
 * Before the estimator's first bound the plan is the start probe ({@code sluice.rate.min}, 100/s here, × 1 s).
 */
class KafkaPlanningAdviceTest {

    private static StreamingContext ssc;

    @BeforeAll
    static void install() {
        Instrumentation instrumentation = ByteBuddyAgent.install();
        KafkaInstall.register(new AgentBuilder.Default().disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE), KafkaPlanningAdviceTest.class.getClassLoader())
                .installOn(instrumentation);
        SluiceRuntime.install(new RuntimeSettings(new HashMap<>()), null, null);
        ssc = new StreamingContext(new SparkConf().setMaster("local[1]").setAppName("kafka-planning-advice")
                .set("spark.ui.enabled", "false"), Durations.seconds(1));
    }

    @AfterAll
    static void stop() {
        if (ssc != null) {
            ssc.stop(true, false);
        }
    }

    private static DirectKafkaInputDStream<Long, Long> stream(SparkConf conf) {
        Map<String, Object> kafka = new HashMap<>();
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        kafka.put("group.id", "kafka-planning-advice");
        return new DirectKafkaInputDStream<>(ssc, LocationStrategies.PreferConsistent(),
                ConsumerStrategies.<Long, Long>Subscribe(Collections.singletonList("t"), kafka),
                new DefaultPerPartitionConfig(conf));
    }

    @SuppressWarnings("unchecked")
    private static scala.collection.immutable.Map<TopicPartition, Object> offsets(long... values) {
        scala.collection.immutable.Map<TopicPartition, Object> m =
                (scala.collection.immutable.Map<TopicPartition, Object>) (Object) scala.collection.immutable.Map$.MODULE$
                        .empty();
        for (int i = 0; i < values.length; i++) {
            m = m.$plus(new Tuple2<>(new TopicPartition("t", i), values[i]));
        }
        return m;
    }

    private static long planned(Option<scala.collection.immutable.Map<TopicPartition, Object>> plan, int partition) {
        return ((Number) plan.get().get(new TopicPartition("t", partition)).get()).longValue();
    }

    @Test
    void sparksAnswerIsReplacedByTheBoundSplitByLagAndTheUsersCapHolds() throws java.io.IOException {
        assertNull(ReferenceCheck.check(TypePool.Default.ofSystemLoader(),
                ReferenceCheck.load(Areas.KAFKA_DIRECT, KafkaPlanningAdviceTest.class.getClassLoader())).problem,
                "the connector on the test class path passes the check");
        DirectKafkaInputDStream<Long, Long> s = stream(new SparkConf(false));
        s.currentOffsets_$eq(offsets(0, 0, 500, 0));
        assertTrue(KafkaDirectSupport.enabled(), "loading the connector's stream class ran the check and enabled it");
        // Stock Spark without back-pressure or maxRatePerPartition answers None: every partition up to its latest.
        Option<scala.collection.immutable.Map<TopicPartition, Object>> plan =
                s.maxMessagesPerPartition(offsets(10_000, 30_000, 500, 60_000));
        assertTrue(plan.isDefined(), "Sluice always plans a bounded batch");
        assertEquals(10, planned(plan, 0));
        assertEquals(30, planned(plan, 1));
        assertEquals(0, planned(plan, 2), "no lag, no records");
        assertEquals(60, planned(plan, 3));

        DirectKafkaInputDStream<Long, Long> capped = stream(new SparkConf(false)
                .set("spark.streaming.kafka.maxRatePerPartition", "20"));
        capped.currentOffsets_$eq(offsets(0, 0, 0, 0));
        Option<scala.collection.immutable.Map<TopicPartition, Object>> cappedPlan =
                capped.maxMessagesPerPartition(offsets(10_000, 30_000, 1, 60_000));
        assertEquals(10, planned(cappedPlan, 0));
        assertEquals(20, planned(cappedPlan, 1), "maxRatePerPartition x 1 s");
        assertEquals(1, planned(cappedPlan, 2), "a partition with lag gets at least one record");
        assertEquals(20, planned(cappedPlan, 3));
        scala.collection.immutable.Map<TopicPartition, Object> until = capped.clamp(offsets(10_000, 30_000, 1, 60_000));
        assertEquals(20L, ((Number) until.get(new TopicPartition("t", 3)).get()).longValue(),
                "Spark's clamp turns the plan into the batch's end offsets");
        assertFalse(dev.sluice.runtime.AdviceErrors.count(dev.sluice.runtime.AdviceErrors.Hook.KAFKA_PLANNING) > 0,
                "the planning hook failed");
    }

    /**
     * The meters of a direct stream, from one batch planned by Spark's own {@code clamp} (which calls the advised
     * method): admitted = the records between the current offsets and the end offsets Spark's clamp returned, lag =
     * the latest offsets minus those end offsets, both summed here from Spark's output.
     */
    @Test
    void aPlannedBatchSetsTheDirectStreamsMetersFromSparksOwnEndOffsets() {
        DirectKafkaInputDStream<Long, Long> s = stream(new SparkConf(false));
        dev.sluice.receiver.driver.DriverStream view = dev.sluice.receiver.driver.DriverStreamsFixture.governed(s.id());
        try {
            long[] current = {0, 100, 2_000, 7};
            long[] latest = {4_000, 9_100, 2_000, 1_007};
            s.currentOffsets_$eq(offsets(current));
            scala.collection.immutable.Map<TopicPartition, Object> until = s.clamp(offsets(latest));
            long admitted = 0;
            long lag = 0;
            for (int p = 0; p < latest.length; p++) {
                long end = ((Number) until.get(new TopicPartition("t", p)).get()).longValue();
                admitted += end - current[p];
                lag += latest[p] - end;
            }
            assertEquals(100, admitted, "the start probe: sluice.rate.min 100/s x 1 s");
            dev.sluice.receiver.driver.PlannedAdmission planned = view.planned();
            assertEquals(100, planned.bound());
            assertEquals(admitted, planned.lastBatch());
            assertEquals(admitted, planned.total());
            assertEquals(lag, planned.lag());
            assertEquals(4_000 + 9_000 + 1_000 - 100, planned.lag(), "what Kafka holds beyond the batch");

            s.currentOffsets_$eq(until);
            s.clamp(offsets(latest));
            assertEquals(200, planned.total(), "cumulative over batches");
            assertEquals(lag - 100, planned.lag());
        } finally {
            dev.sluice.receiver.driver.DriverStreamsFixture.remove(view);
        }
    }
}
