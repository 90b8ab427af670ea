package dev.sluice.testbed.job;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Samples executor memory every {@link #PERIOD_MS} ms into {@code <runDir>/memory-<executorId>.csv}, in every mode,
 * with or without the agent ({@code spark.plugins=dev.sluice.testbed.job.MemorySamplerPlugin}, run dir in
 * {@code spark.testbed.runDir}). Heap after GC: see {@link HeapAfterGc}; storage memory comes from Spark's memory
 * manager (on-heap storage used and max).
 */
public final class MemorySamplerPlugin implements SparkPlugin {

    public static final String RUN_DIR_CONF = "spark.testbed.runDir";
    public static final String CSV_HEADER = "epochMs,executorId,heapUsed,heapMax,heapAfterGc,storageUsed,storageMax";
    static final long PERIOD_MS = 500;

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new Sampler();
    }

    static final class Sampler implements ExecutorPlugin {
        private volatile boolean stopped;
        private final HeapAfterGc afterGc = new HeapAfterGc();

        @Override
        public void init(PluginContext ctx, Map<String, String> extraConf) {
            String dir = ctx.conf().get(RUN_DIR_CONF, null);
            if (dir == null) {
                return;
            }
            Path file = Paths.get(dir, "memory-" + ctx.executorID() + ".csv");
            afterGc.install();
            Thread t = new Thread(() -> sample(file, ctx.executorID()), "testbed-memory-sampler");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void shutdown() {
            stopped = true;
        }

        private void sample(Path file, String executorId) {
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                out.write(CSV_HEADER);
                out.newLine();
                while (!stopped) {
                    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                    long[] storage = storage();
                    out.write(System.currentTimeMillis() + "," + executorId + "," + heap.getUsed() + ","
                            + heap.getMax() + "," + afterGc.bytes() + "," + storage[0] + "," + storage[1]);
                    out.newLine();
                    out.flush();
                    Thread.sleep(PERIOD_MS);
                }
            } catch (IOException e) {
                System.err.println("testbed: memory sampler cannot write " + file + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Heap in use right after the latest garbage collection of any kind (young ones included), from the GC
     * notifications' {@code GcInfo.getMemoryUsageAfterGc()} summed over the heap pools. Pools' own collection usage
     * ({@link MemoryPoolMXBean#getCollectionUsage()}) is the fallback until the first notification: G1's old
     * generation updates it only on mixed and full collections, which under-reports what young collections retain.
     */
    static final class HeapAfterGc implements javax.management.NotificationListener {
        private final java.util.Set<String> heapPools = new java.util.HashSet<>();
        private volatile long bytes = -1;

        void install() {
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof javax.management.NotificationEmitter emitter) {
                    emitter.addNotificationListener(this, null, null);
                }
            }
        }

        long bytes() {
            long b = bytes;
            return b >= 0 ? b : heapAfterGc();
        }

        @Override
        public void handleNotification(javax.management.Notification n, Object handback) {
            try {
                if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                        .equals(n.getType())) {
                    return;
                }
                com.sun.management.GcInfo info = com.sun.management.GarbageCollectionNotificationInfo
                        .from((javax.management.openmbean.CompositeData) n.getUserData()).getGcInfo();
                long sum = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) {
                        sum += e.getValue().getUsed();
                    }
                }
                bytes = sum;
            } catch (RuntimeException | LinkageError e) {
                // leave the last value; the pool fallback still works
            }
        }
    }

    /** Sum over heap pools of the usage right after their last collection; -1 when the JVM reports none. */
    static long heapAfterGc() {
        long sum = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            MemoryUsage u = pool.getCollectionUsage();
            if (u != null) {
                sum += u.getUsed();
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** {used, max} on-heap storage memory of the block manager, or {-1, -1}. Reflective: internal API. */
    static long[] storage() {
        try {
            SparkEnv env = SparkEnv.get();
            if (env == null) {
                return new long[] {-1, -1};
            }
            Object mm = env.getClass().getMethod("memoryManager").invoke(env);
            Method used = mm.getClass().getMethod("onHeapStorageMemoryUsed");
            Method max = mm.getClass().getMethod("maxOnHeapStorageMemory");
            return new long[] {((Number) used.invoke(mm)).longValue(), ((Number) max.invoke(mm)).longValue()};
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new long[] {-1, -1};
        }
    }
}
