package dev.sluice.testbed.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.sluice.testkit.kafka.Ledger;

class ExactlyOnceTest {

    /** Two partitions of 10 records; id = partition * 1000 + offset. */
    private static long produced(int partition, long from, long until) {
        if (until > 10) {
            throw new IllegalArgumentException("outside what was produced");
        }
        long sum = 0;
        for (long o = from; o < until; o++) {
            sum += Ledger.mix(partition * 1000L + o);
        }
        return sum;
    }

    private static ProcessedRange range(long batch, int p, long from, long until) {
        return new ProcessedRange(batch, p, from, until, until - from, produced(p, from, until));
    }

    private static List<ProcessedRange> everything() {
        List<ProcessedRange> r = new ArrayList<>();
        r.add(range(1000, 0, 0, 4));
        r.add(range(1000, 1, 0, 3));
        r.add(range(2000, 0, 4, 10));
        r.add(range(2000, 1, 3, 10));
        return r;
    }

    @Test
    void contiguousRangesWithTheProducedIdsAndCommitsAtRangeEndsPass() {
        ExactlyOnce.Verdict v = ExactlyOnce.check(everything(), 2, ExactlyOnceTest::produced, 20,
                Map.of(0, 10L, 1, 3L));
        assertTrue(v.ok(), v.summary());
        assertEquals(20, v.records());
        assertTrue(v.summary().startsWith("exactly once: 20 records in 4 ranges"), v.summary());
    }

    @Test
    void aGapIsFound() {
        List<ProcessedRange> r = everything();
        r.set(2, range(2000, 0, 5, 10));
        ExactlyOnce.Verdict v = checkBothPartitionsCommittedAt10(r);
        assertFalse(v.ok());
        assertTrue(v.problems().get(0).contains("partition 0 range [5, 10) does not follow 4 (gap)"), v.summary());
    }

    @Test
    void anOverlapIsFound() {
        List<ProcessedRange> r = everything();
        r.set(2, range(2000, 0, 3, 10));
        ExactlyOnce.Verdict v = checkBothPartitionsCommittedAt10(r);
        assertTrue(v.problems().get(0).contains("(overlap)"), v.summary());
    }

    @Test
    void aRecordLostInsideARangeIsFoundByItsCount() {
        List<ProcessedRange> r = everything();
        ProcessedRange x = r.get(1);
        r.set(1, new ProcessedRange(x.batchTimeMs(), 1, 0, 3, 2, x.checksum()));
        ExactlyOnce.Verdict v = checkBothPartitionsCommittedAt10(r);
        assertTrue(v.problems().get(0).contains("partition 1 range [0, 3) processed 2 records"), v.summary());
    }

    @Test
    void anotherIdAtTheSameOffsetsIsFoundByTheChecksum() {
        List<ProcessedRange> r = everything();
        ProcessedRange x = r.get(0);
        r.set(0, new ProcessedRange(x.batchTimeMs(), 0, 0, 4, 4, x.checksum() + 1));
        ExactlyOnce.Verdict v = checkBothPartitionsCommittedAt10(r);
        assertTrue(v.problems().get(0).contains("the ids processed differ"), v.summary());
    }

    @Test
    void aRangeBeyondWhatWasProducedFails() {
        List<ProcessedRange> r = everything();
        r.add(new ProcessedRange(3000, 0, 10, 12, 2, 0));
        ExactlyOnce.Verdict v = ExactlyOnce.check(r, 2, ExactlyOnceTest::produced, 20, Map.of(0, 12L, 1, 10L));
        assertTrue(v.problems().get(0).contains("the ids processed differ"), v.summary());
    }

    @Test
    void aCommitThatIsNoRangeEndAndAMissingPartitionAndNoBatchFail() {
        ExactlyOnce.Verdict commit = ExactlyOnce.check(everything(), 2, ExactlyOnceTest::produced, 20,
                Map.of(0, 7L, 1, 10L));
        assertTrue(commit.problems().get(0).contains("partition 0 committed offset 7"), commit.summary());
        ExactlyOnce.Verdict missing = ExactlyOnce.check(everything().subList(0, 1), 2, ExactlyOnceTest::produced,
                20, Map.of(0, 4L));
        assertTrue(missing.problems().get(0).contains("expected 2 partitions"), missing.summary());
        ExactlyOnce.Verdict none = ExactlyOnce.check(List.of(), 2, ExactlyOnceTest::produced, 20, Map.of());
        assertEquals("no batch completed", none.problems().get(0));
    }

    /** The check of two partitions of 10 records each, both committed at offset 10. */
    private static ExactlyOnce.Verdict checkBothPartitionsCommittedAt10(List<ProcessedRange> r) {
        return ExactlyOnce.check(r, 2, ExactlyOnceTest::produced, 20, Map.of(0, 10L, 1, 10L));
    }
}
