package dev.sluice.kafka.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkConf;
import org.apache.spark.streaming.kafka010.PerPartitionConfig;
import org.junit.jupiter.api.Test;

import scala.Tuple2;
import scala.collection.immutable.Map;

/**
 * The planning runtime against the real types it meets in Spark: Scala immutable maps of {@code TopicPartition} →
 * boxed offsets (Map1..Map4 and HashMap are different classes), and the connector's own {@code PerPartitionConfig}
 * reading {@code spark.streaming.kafka.maxRatePerPartition} (connector 3.5.1/2.12).
 */
class ConnectorTypesTest {

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> offsets(long... values) {
        Map<Object, Object> m = (Map<Object, Object>) scala.collection.immutable.Map$.MODULE$.empty();
        for (int i = 0; i < values.length; i++) {
            m = m.$plus(new Tuple2<Object, Object>(new TopicPartition("t", i), values[i]));
        }
        return m;
    }

    @Test
    void readsAndRewritesSparkOffsetMapsOfEverySize() throws Exception {
        for (int size : new int[] {1, 4, 5, 12}) {
            long[] values = new long[size];
            for (int i = 0; i < size; i++) {
                values[i] = 1000L * (i + 1);
            }
            Map<Object, Object> latest = offsets(values);
            List<Object> keys = ScalaOffsets.keys(latest);
            assertEquals(size, keys.size());
            long[] counts = new long[size];
            for (int i = 0; i < size; i++) {
                TopicPartition tp = (TopicPartition) keys.get(i);
                assertEquals(values[tp.partition()], ScalaOffsets.offset(latest, tp, -1));
                counts[i] = tp.partition() + 7;
            }
            assertEquals(-1, ScalaOffsets.offset(latest, new TopicPartition("other", 0), -1));
            Map<?, ?> planned = ScalaOffsets.withCounts(latest, keys, counts);
            assertEquals(size, planned.size(), "same partitions as Spark's map");
            for (Object k : keys) {
                TopicPartition tp = (TopicPartition) k;
                assertEquals(tp.partition() + 7, ScalaOffsets.offset(planned, tp, -1), "planned count of " + tp);
            }
        }
    }

    @Test
    void readsTheUsersPerPartitionLimitsThroughTheConnectorsOwnConfig() throws Exception {
        SparkConf conf = new SparkConf(false).set("spark.streaming.kafka.maxRatePerPartition", "250")
                .set("spark.streaming.kafka.minRatePerPartition", "3");
        PerPartitionConfig ppc = new org.apache.spark.streaming.kafka010.DefaultPerPartitionConfig(conf);
        PartitionRates rates = new PartitionRates(ppc, TopicPartition.class);
        assertEquals(250, rates.maxPerSecond(new TopicPartition("t", 0)));
        assertEquals(3, rates.minPerBatch(new TopicPartition("t", 0)));
        PartitionRates defaults = new PartitionRates(
                new org.apache.spark.streaming.kafka010.DefaultPerPartitionConfig(new SparkConf(false)),
                TopicPartition.class);
        assertEquals(0, defaults.maxPerSecond(new TopicPartition("t", 1)), "no cap by default");
        assertEquals(1, defaults.minPerBatch(new TopicPartition("t", 1)), "Spark's default floor");
    }

    @Test
    void anApplicationsOwnPerPartitionConfigIsHonoured() throws Exception {
        PerPartitionConfig custom = new PerPartitionConfig() {
            private static final long serialVersionUID = 1L;

            @Override
            public long maxRatePerPartition(TopicPartition tp) {
                return tp.partition() == 0 ? 10 : 0;
            }
        };
        PartitionRates rates = new PartitionRates(custom, TopicPartition.class);
        assertEquals(10, rates.maxPerSecond(new TopicPartition("t", 0)));
        assertEquals(0, rates.maxPerSecond(new TopicPartition("t", 1)));
        assertTrue(Arrays.asList(1L).contains(rates.minPerBatch(new TopicPartition("t", 1))));
    }
}
