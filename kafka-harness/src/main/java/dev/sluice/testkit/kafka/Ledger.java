package dev.sluice.testkit.kafka;

import java.util.Arrays;

/**
 * What a {@link TopicFeed} put on each partition, by offset, as the broker acknowledged it: the independent count that
 * a consumer's results are checked against. Values are unique record ids; a range's checksum is the sum of
 * {@link #mix(long)} over its ids, so a record lost, duplicated or taken from the wrong offset changes it. It also keeps
 * when the total grew (the acknowledgement's wall-clock time, one entry per millisecond), so a consumer's view of the
 * topic at a moment (its lag) can be checked against what had been put there by then.
 */
public final class Ledger {

    private final long[][] values;
    private final int[] sizes;
    private long total;
    private final CountTimeline acknowledged = new CountTimeline();

    Ledger(int partitions) {
        values = new long[partitions][1024];
        sizes = new int[partitions];
    }

    /** splitmix64's finaliser: the per-record term of a checksum (consumers must use the same function). */
    public static long mix(long id) {
        long z = id + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** @param epochMs when the acknowledgement arrived (wall clock, as the consumer's own timestamps) */
    synchronized void acknowledged(int partition, long offset, long id, long epochMs) {
        if (offset > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("ledger holds at most 2^31 offsets per partition");
        }
        int o = (int) offset;
        long[] v = values[partition];
        if (o >= v.length) {
            v = Arrays.copyOf(v, Math.max(o + 1, v.length * 2));
            values[partition] = v;
        }
        v[o] = id;
        if (o + 1 > sizes[partition]) {
            total += o + 1 - sizes[partition];
            sizes[partition] = o + 1;
        }
        acknowledged.reached(epochMs, total);
    }

    /** Records acknowledged at or before {@code epochMs} (offsets counted up to each partition's highest). */
    public synchronized long acknowledgedBy(long epochMs) {
        return acknowledged.at(epochMs);
    }

    public int partitions() {
        return sizes.length;
    }

    /** Offsets acknowledged on {@code partition} (the end offset of a fresh topic written only by this feed). */
    public synchronized long endOffset(int partition) {
        return sizes[partition];
    }

    public synchronized long total() {
        return total;
    }

    /** The id acknowledged at {@code offset} of {@code partition} (the record a consumer must have read there). */
    public synchronized long idAt(int partition, long offset) {
        if (offset < 0 || offset >= sizes[partition]) {
            throw new IllegalArgumentException("partition " + partition + " offset " + offset
                    + " outside the acknowledged [0, " + sizes[partition] + ")");
        }
        return values[partition][(int) offset];
    }

    /** Sum of {@link #mix} over the ids at offsets {@code [from, until)} of {@code partition}. */
    public synchronized long checksum(int partition, long from, long until) {
        if (from < 0 || until > sizes[partition] || from > until) {
            throw new IllegalArgumentException("partition " + partition + " range [" + from + ", " + until
                    + ") outside the acknowledged [0, " + sizes[partition] + ")");
        }
        long sum = 0;
        long[] v = values[partition];
        for (int o = (int) from; o < until; o++) {
            sum += mix(v[o]);
        }
        return sum;
    }
}
