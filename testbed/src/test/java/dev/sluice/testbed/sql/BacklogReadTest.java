package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BacklogReadTest {

    private final List<SqlBatch> batches = List.of(new SqlBatch(0, 400, 2000, 1000), new SqlBatch(1, 500, 2500, 3000),
            new SqlBatch(2, 300, 1000, 6000));

    @Test
    void endsWithTheBatchThatReachedTheBacklog() {
        BacklogRead r = BacklogRead.of(batches, 900);
        assertTrue(r.reached());
        assertEquals(1, r.batchIndex());
        assertEquals(4500, r.ms());
    }

    @Test
    void aBacklogLargerThanTheRunIsNotReached() {
        BacklogRead r = BacklogRead.of(batches, 1201);
        assertFalse(r.reached());
        assertEquals(6000, r.ms());
    }
}
