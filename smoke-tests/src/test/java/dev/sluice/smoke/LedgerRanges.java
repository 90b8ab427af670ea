package dev.sluice.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.sluice.testkit.kafka.Ledger;

/**
 * The exactly-once check of a Kafka job's processed offset ranges against the producer's {@link Ledger} (counted by the
 * broker's acknowledgements, independently of Spark and Sluice), shared by the direct-stream and Structured Streaming
 * smoke tests.
 */
final class LedgerRanges {

    /** One partition's processed range in one batch, with what the job counted in it. */
    interface Span {
        int partition();

        long from();

        long until();

        long records();

        long checksum();
    }

    private LedgerRanges() {
    }

    /** Spans per partition, each list ordered by start offset. */
    static <S extends Span> Map<Integer, List<S>> byPartition(List<S> spans) {
        Map<Integer, List<S>> by = new TreeMap<>();
        for (S s : spans) {
            by.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s);
        }
        by.values().forEach(l -> l.sort(Comparator.comparingLong(Span::from)));
        return by;
    }

    /**
     * Per partition the spans start at offset 0 and follow each other with no gap and no overlap, each span's count
     * equals its size, and the checksum of the ids processed equals the checksum of the ids the producer put at those
     * offsets. Returns the records the spans hold.
     */
    static long assertContiguousAndAsProduced(String label, Ledger ledger, int partitions,
                                              Map<Integer, ? extends List<? extends Span>> by) {
        assertEquals(partitions, by.size(), label + ": partitions seen " + by.keySet());
        long total = 0;
        for (Map.Entry<Integer, ? extends List<? extends Span>> e : by.entrySet()) {
            int p = e.getKey();
            long next = 0;
            for (Span r : e.getValue()) {
                assertEquals(next, r.from(), label + ": partition " + p + " range " + r + " does not follow " + next);
                assertEquals(r.until() - r.from(), r.records(), label + ": partition " + p + " range " + r
                        + " processed a different number of records");
                assertEquals(ledger.checksum(p, r.from(), r.until()), r.checksum(), label + ": partition " + p
                        + " range " + r + ": the ids processed differ from those produced");
                next = r.until();
                total += r.records();
            }
        }
        return total;
    }
}
