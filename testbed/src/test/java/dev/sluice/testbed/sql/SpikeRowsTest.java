package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpikeRowsTest {

    private final SqlRunData.SpikeRows spike = new SqlRunData.SpikeRows(70_000, 73_000);

    @Test
    void noneReadBeforeTheQueryReachedThem() {
        assertEquals(0, spike.readOf(69_999));
        assertEquals(0, spike.readOf(70_000));
    }

    @Test
    void partlyAndWhollyRead() {
        assertEquals(1_500, spike.readOf(71_500));
        assertEquals(3_000, spike.readOf(90_000));
        assertEquals(3_000, spike.count());
    }
}
