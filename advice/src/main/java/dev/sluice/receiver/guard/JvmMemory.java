package dev.sluice.receiver.guard;

import org.apache.spark.SparkEnv;
import org.apache.spark.memory.MemoryManager;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads this JVM's memory for the guard and the metrics.
 *
 * <p>Heap after GC: the occupancy of the old (tenured) pool plus the survivor pool. Right after each young collection
 * that is exactly the live-ish heap (eden is empty), and between collections it only grows by promotion, so it tracks
 * what survives GC without waiting for an old-generation collection (whose collection-usage figure G1 updates only on
 * mixed or full GCs); the larger of this and the old pool's last collection usage is used.
 * Storage: Spark's {@code MemoryManager} on-heap storage used and max (public in 3.4 → 4.1, verified with javap),
 * optional: absent before SparkEnv exists.
 */
public final class JvmMemory {

    private static final List<MemoryPoolMXBean> OLD = new ArrayList<MemoryPoolMXBean>();
    private static final List<MemoryPoolMXBean> SURVIVOR = new ArrayList<MemoryPoolMXBean>();

    static {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            String name = pool.getName().toLowerCase(java.util.Locale.ROOT);
            if (name.contains("old") || name.contains("tenured")) {
                OLD.add(pool);
            } else if (name.contains("survivor")) {
                SURVIVOR.add(pool);
            }
        }
    }

    private JvmMemory() {
    }

    public static MemoryReadings read() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long heapMax = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long afterGc = heapAfterGc();
        long storageUsed = -1;
        long storageMax = -1;
        try {
            SparkEnv env = SparkEnv.get();
            if (env != null) {
                MemoryManager mm = env.memoryManager();
                storageUsed = mm.onHeapStorageMemoryUsed();
                storageMax = mm.maxOnHeapStorageMemory();
            }
        } catch (Throwable noSpark) {
            // optional signal
        }
        return new MemoryReadings(heap.getUsed(), heapMax, afterGc, storageUsed, storageMax);
    }

    private static long heapAfterGc() {
        if (OLD.isEmpty()) {
            return -1;
        }
        long old = 0;
        long oldAfterCollection = 0;
        for (MemoryPoolMXBean p : OLD) {
            old += p.getUsage().getUsed();
            MemoryUsage c = p.getCollectionUsage();
            if (c != null) {
                oldAfterCollection += c.getUsed();
            }
        }
        long survivor = 0;
        for (MemoryPoolMXBean p : SURVIVOR) {
            survivor += p.getUsage().getUsed();
        }
        return Math.max(old + survivor, oldAfterCollection);
    }
}
