package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StaticLimitTest {

    @Test
    void oneTriggerIntervalOfTheCapacity() {
        assertEquals(1300, StaticLimit.rows(650.2, 2000));
        assertEquals(65, StaticLimit.files(650.2, 2000, 20));
    }

    @Test
    void atLeastOne() {
        assertEquals(1, StaticLimit.rows(0.1, 2000));
        assertEquals(1, StaticLimit.files(3, 2000, 20));
    }
}
