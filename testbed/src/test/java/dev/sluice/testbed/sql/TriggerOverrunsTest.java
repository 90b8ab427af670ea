package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TriggerOverrunsTest {

    private final List<SqlBatch> batches = List.of(new SqlBatch(0, 1, 1999, 0), new SqlBatch(1, 1, 2000, 0),
            new SqlBatch(2, 1, 2001, 0), new SqlBatch(3, 1, 4000, 0), new SqlBatch(4, 1, 4001, 0),
            new SqlBatch(5, 1, 90_000, 0));

    @Test
    void countsBatchesLongerThanOneTrigger() {
        assertEquals(4, TriggerOverruns.count(batches, 2000, 1));
    }

    @Test
    void countsBatchesLongerThanTwoTriggers() {
        assertEquals(2, TriggerOverruns.count(batches, 2000, 2));
    }
}
