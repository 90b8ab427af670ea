package dev.sluice.testbed.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Throttle's promise on a direct stream, checked against what the producer put on the topic (the harness's
 * {@code Ledger}, filled from the broker's acknowledgements, independently of Spark and Sluice): per partition the
 * processed ranges start at offset 0 and follow each other with no gap and no overlap, each range's record count
 * equals its size, the checksum of the ids the job processed equals the checksum of the ids produced at those offsets,
 * and the offsets the application committed end a processed range.
 */
public final class ExactlyOnce {

    /** The checksum of the ids produced at {@code [from, until)} of a partition (e.g. {@code ledger::checksum}). */
    @FunctionalInterface
    public interface ProducedChecksums {
        long checksum(int partition, long from, long until);
    }

    /**
     * @param records  records in the processed ranges
     * @param problems empty when every check passed; otherwise one line per failed check (the first few)
     */
    public record Verdict(long records, int ranges, long produced, Map<Integer, Long> committed,
                          List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }

        public String summary() {
            if (!ok()) {
                return "NOT exactly once: " + String.join("; ", problems);
            }
            return String.format("exactly once: %d records in %d ranges contiguous from offset 0, counts and checksums "
                    + "equal to the producer's ledger (%d produced); committed offsets %s end processed ranges",
                    records, ranges, produced, committed);
        }
    }

    private static final int MAX_PROBLEMS = 5;

    private ExactlyOnce() {
    }

    public static Verdict check(List<ProcessedRange> ranges, int partitions, ProducedChecksums produced,
                                long producedTotal, Map<Integer, Long> committed) {
        List<String> problems = new ArrayList<>();
        Map<Integer, List<ProcessedRange>> by = ProcessedRange.byPartition(ranges);
        if (by.size() != partitions) {
            problems.add("ranges seen on partitions " + by.keySet() + ", expected " + partitions + " partitions");
        }
        long total = 0;
        for (Map.Entry<Integer, List<ProcessedRange>> e : by.entrySet()) {
            int p = e.getKey();
            long next = 0;
            for (ProcessedRange r : e.getValue()) {
                if (r.from() != next) {
                    problems.add("partition " + p + " range [" + r.from() + ", " + r.until() + ") does not follow "
                            + next + (r.from() > next ? " (gap)" : " (overlap)"));
                } else if (r.until() - r.from() != r.records()) {
                    problems.add("partition " + p + " range [" + r.from() + ", " + r.until() + ") processed "
                            + r.records() + " records");
                } else if (!sameIds(produced, p, r)) {
                    problems.add("partition " + p + " range [" + r.from() + ", " + r.until()
                            + "): the ids processed differ from those produced");
                }
                next = Math.max(next, r.until());
                total += r.records();
            }
            Long c = committed.get(p);
            if (c == null || e.getValue().stream().noneMatch(r -> r.until() == c)) {
                problems.add("partition " + p + " committed offset " + c + " is not the end of a processed range");
            }
        }
        if (ranges.isEmpty()) {
            problems.add(0, "no batch completed");
        }
        List<String> first = problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems;
        return new Verdict(total, ranges.size(), producedTotal, Map.copyOf(committed), List.copyOf(first));
    }

    private static boolean sameIds(ProducedChecksums produced, int partition, ProcessedRange r) {
        try {
            return produced.checksum(partition, r.from(), r.until()) == r.checksum();
        } catch (IllegalArgumentException outsideWhatWasProduced) {
            return false;
        }
    }
}
