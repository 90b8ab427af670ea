package dev.sluice.testbed.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Consumer lag over time, measured outside Sluice: what the producer had on the topic (the ledger's acknowledged
 * records, sampled by the runner) against what the job had planned (records of the batches Spark generated, from its
 * listener) and what it had processed (records in the ranges of batches completed by then, counted by the job).
 * {@code notPlanned} = records in Kafka no batch has asked for yet (the lag a direct stream leaves in the broker);
 * {@code notProcessed} = records produced and not yet processed (planned ones queued in Spark included).
 */
public final class ConsumerLag {

    public static final String HEADER = "epochMs,produced,planned,processed,notPlanned,notProcessed";

    /** The ledger's total at a moment. */
    public record Produced(long epochMs, long records) {
    }

    /** A batch Spark generated: when it was submitted and how many records its offset ranges hold. */
    public record Planned(long submissionMs, long records) {
    }

    /** A batch the job completed: when, and how many records its ranges held. */
    public record Processed(long endMs, long records) {
    }

    public record Point(long epochMs, long produced, long planned, long processed) {
        public long notPlanned() {
            return Math.max(0, produced - planned);
        }

        public long notProcessed() {
            return Math.max(0, produced - processed);
        }

        public String toCsv() {
            return String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d", epochMs, produced, planned, processed, notPlanned(),
                    notProcessed());
        }
    }

    private ConsumerLag() {
    }

    /** One point per produced sample; {@code planned} and {@code processed} need not be sorted. */
    public static List<Point> series(List<Produced> produced, List<Planned> planned, List<Processed> processed) {
        List<Planned> p = new ArrayList<>(planned);
        p.sort((a, b) -> Long.compare(a.submissionMs(), b.submissionMs()));
        List<Processed> d = new ArrayList<>(processed);
        d.sort((a, b) -> Long.compare(a.endMs(), b.endMs()));
        List<Produced> s = new ArrayList<>(produced);
        s.sort((a, b) -> Long.compare(a.epochMs(), b.epochMs()));
        List<Point> out = new ArrayList<>(s.size());
        int ip = 0;
        int id = 0;
        long plannedSoFar = 0;
        long processedSoFar = 0;
        for (Produced x : s) {
            while (ip < p.size() && p.get(ip).submissionMs() <= x.epochMs()) {
                plannedSoFar += p.get(ip++).records();
            }
            while (id < d.size() && d.get(id).endMs() <= x.epochMs()) {
                processedSoFar += d.get(id++).records();
            }
            out.add(new Point(x.epochMs(), x.records(), plannedSoFar, processedSoFar));
        }
        return out;
    }
}
