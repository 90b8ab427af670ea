package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SinkAuditTest {

    @Test
    void everyIdOnceInAnyOrderIsExactlyOnce() {
        SinkAudit a = SinkAudit.of(new long[] {1, 2, 3, 4}, new long[] {4, 2, 1, 3});
        assertTrue(a.exactlyOnce(), a.verdict());
        assertEquals(4, a.expected());
        assertEquals(4, a.held());
    }

    @Test
    void aMissingIdFails() {
        SinkAudit a = SinkAudit.of(new long[] {1, 2, 3, 4}, new long[] {1, 2, 4});
        assertFalse(a.exactlyOnce());
        assertEquals(1, a.missing());
        assertEquals(0, a.duplicated());
        assertEquals(0, a.unexpected());
    }

    @Test
    void aDuplicateIdFails() {
        SinkAudit a = SinkAudit.of(new long[] {1, 2, 3}, new long[] {1, 2, 2, 2, 3});
        assertFalse(a.exactlyOnce());
        assertEquals(0, a.missing());
        assertEquals(2, a.duplicated());
        assertEquals(5, a.held());
    }

    @Test
    void anIdNobodyWroteFails() {
        SinkAudit a = SinkAudit.of(new long[] {1, 2}, new long[] {1, 2, 9, 9});
        assertFalse(a.exactlyOnce());
        assertEquals(2, a.unexpected());
        assertEquals(0, a.duplicated());
    }

    @Test
    void anEmptyExpectationProvesNothing() {
        assertFalse(SinkAudit.of(new long[0], new long[0]).exactlyOnce());
    }

    @Test
    void theVerdictSaysTheCounts() {
        assertEquals("FAILED: 3 expected, 3 held, 1 missing, 1 duplicated, 0 unexpected",
                SinkAudit.of(new long[] {1, 2, 3}, new long[] {1, 1, 3}).verdict());
    }
}
