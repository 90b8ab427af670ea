package dev.sluice.testbed.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class KafkaCapacityTest {

    @Test
    void medianOfRecordsPerProcessingSecondAfterTheFirstTwoBatchesWithRecords() {
        List<long[]> batches = List.of(new long[] {0, 5}, new long[] {30_000, 30_000}, new long[] {30_000, 10_000},
                new long[] {30_000, 6_000}, new long[] {30_000, 5_000}, new long[] {30_000, 3_000},
                new long[] {0, 0});
        KafkaCapacity.Measured m = KafkaCapacity.fromBatches(batches);
        // judged: 5000/s, 6000/s, 10000/s -> median 6000
        assertEquals(6000, m.recordsPerSecond(), 1e-9);
        assertTrue(m.how().contains("3 stock batches"), m.how());
    }

    @Test
    void tooFewBatchesIsAnErrorNamingTheWayOut() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> KafkaCapacity.fromBatches(
                List.of(new long[] {100, 100}, new long[] {100, 100}, new long[] {100, 100})));
        assertTrue(e.getMessage().contains("--capacity"), e.getMessage());
    }

    @Test
    void sparkModeIsTunedFromTheCapacityAsAUserWould() {
        var conf = KafkaModeRunner.sparkBackPressureTuning(6001, 4);
        assertEquals("6001", conf.get("spark.streaming.backpressure.initialRate"));
        assertEquals("1501", conf.get("spark.streaming.kafka.maxRatePerPartition"));
    }
}
