package dev.sluice.strategy.builtin;

import dev.sluice.strategy.Chunk;

import java.util.List;

/**
 * The runtime's {@link Chunk}: a view over one bulk store's records plus the strategy's selection.
 *
 * <p>One instance per bulk store, used by one thread. {@link #keepAll()} (the uncongested case) sets a flag and
 * allocates nothing; the first {@link #keep(int)} allocates the bitset ({@code long[(size + 63) / 64]}) once.
 * Iterate the kept records in their original order with
 * {@code for (int i = sel.nextKept(0); i >= 0; i = sel.nextKept(i + 1))}.
 */
public final class ChunkSelection implements Chunk {

    private final RecordSource source;
    private final int size;
    private long[] bits;
    private int keptCount;
    private boolean keptAll;

    public ChunkSelection(RecordSource source, int size) {
        if (source == null) {
            throw new IllegalArgumentException("source is null");
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0, was " + size);
        }
        this.source = source;
        this.size = size;
    }

    /** A selection over a Java list (tests, Java callers). */
    public static ChunkSelection of(List<?> records) {
        return new ChunkSelection(records::get, records.size());
    }

    /** A selection over an array (tests, Java callers). */
    public static ChunkSelection of(Object... records) {
        return new ChunkSelection(i -> records[i], records.length);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object get(int index) {
        checkIndex(index);
        return source.recordAt(index);
    }

    @Override
    public void keep(int index) {
        checkIndex(index);
        if (keptAll) {
            return;
        }
        if (bits == null) {
            bits = new long[(size + 63) >>> 6];
        }
        long mask = 1L << index; // shift uses the low 6 bits of index
        int word = index >>> 6;
        if ((bits[word] & mask) == 0) {
            bits[word] |= mask;
            keptCount++;
        }
    }

    @Override
    public void keepAll() {
        keptAll = true;
        keptCount = size;
    }

    /** Whether every record is kept (then the runtime passes the caller's collection on untouched). */
    public boolean allKept() {
        return keptAll || keptCount == size;
    }

    public int keptCount() {
        return keptCount;
    }

    public boolean isKept(int index) {
        checkIndex(index);
        return keptAll || (bits != null && (bits[index >>> 6] & (1L << index)) != 0);
    }

    /** The smallest kept index {@code >= from}, or -1 when there is none. */
    public int nextKept(int from) {
        if (from < 0) {
            from = 0;
        }
        if (from >= size) {
            return -1;
        }
        if (keptAll) {
            return from;
        }
        if (bits == null) {
            return -1;
        }
        int word = from >>> 6;
        long w = bits[word] & (-1L << from);
        while (true) {
            if (w != 0) {
                int index = (word << 6) + Long.numberOfTrailingZeros(w);
                return index < size ? index : -1;
            }
            if (++word == bits.length) {
                return -1;
            }
            w = bits[word];
        }
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " outside a chunk of " + size + " records");
        }
    }

    @Override
    public String toString() {
        return "ChunkSelection[size=" + size + ", kept=" + keptCount + "]";
    }
}
