package dev.sluice.receiver.guard;

/** One sample of this JVM's memory, bytes; -1 where unknown. */
public final class MemoryReadings {
    public final long heapUsed;
    public final long heapMax;
    public final long heapAfterGc;
    public final long storageUsed;
    public final long storageMax;

    public MemoryReadings(long heapUsed, long heapMax, long heapAfterGc, long storageUsed, long storageMax) {
        this.heapUsed = heapUsed;
        this.heapMax = heapMax;
        this.heapAfterGc = heapAfterGc;
        this.storageUsed = storageUsed;
        this.storageMax = storageMax;
    }

    /** Heap after GC as a fraction of max heap; -1 when unknown. */
    public double heapAfterGcFraction() {
        return heapAfterGc >= 0 && heapMax > 0 ? (double) heapAfterGc / heapMax : -1;
    }

    /** Used fraction of the block manager's on-heap storage memory; -1 when unknown. */
    public double storageFraction() {
        return storageUsed >= 0 && storageMax > 0 ? (double) storageUsed / storageMax : -1;
    }

    /** Free storage memory, bytes; -1 when unknown. */
    public long storageFree() {
        return storageUsed >= 0 && storageMax > 0 ? storageMax - storageUsed : -1;
    }
}
