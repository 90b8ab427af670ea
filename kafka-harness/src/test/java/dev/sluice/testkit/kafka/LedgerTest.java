package dev.sluice.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LedgerTest {

    @Test
    void countsWhatWasAcknowledgedByEachMoment() {
        Ledger l = new Ledger(2);
        assertEquals(0, l.acknowledgedBy(Long.MAX_VALUE));
        l.acknowledged(0, 0, 10, 1_000);
        l.acknowledged(1, 0, 11, 1_000);
        l.acknowledged(0, 1, 12, 1_005);
        for (int i = 0; i < 3000; i++) { // grows past the initial capacity
            l.acknowledged(1, 1 + i, 100 + i, 2_000 + i);
        }
        assertEquals(0, l.acknowledgedBy(999));
        assertEquals(2, l.acknowledgedBy(1_000));
        assertEquals(2, l.acknowledgedBy(1_004));
        assertEquals(3, l.acknowledgedBy(1_005));
        assertEquals(3, l.acknowledgedBy(1_999));
        assertEquals(4, l.acknowledgedBy(2_000));
        assertEquals(3 + 3000, l.acknowledgedBy(4_999));
        assertEquals(l.total(), l.acknowledgedBy(Long.MAX_VALUE));
        assertEquals(2 + 3001, l.endOffset(0) + l.endOffset(1));
    }

    @Test
    void anAcknowledgementOutOfOrderWithinAPartitionCountsOnce() {
        Ledger l = new Ledger(1);
        l.acknowledged(0, 1, 7, 50);
        l.acknowledged(0, 0, 6, 60);
        assertEquals(2, l.acknowledgedBy(50), "offset 1 acknowledged: offsets 0 and 1 are in the log");
        assertEquals(2, l.total());
        assertEquals(Ledger.mix(6) + Ledger.mix(7), l.checksum(0, 0, 2));
    }
}
