package dev.sluice.receiver.guard;

import dev.sluice.receiver.executor.ManagedStream;
import dev.sluice.receiver.executor.StreamGates;
import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;

/**
 * The executor's fast local loop: a daemon thread samples memory every {@code sluice.guard.interval} (50 ms by default)
 * and applies the {@link GuardPolicy}'s factor to every live stream's bound in this JVM. Starts with the first managed
 * stream and stops when the last one is retired (nothing of Sluice's keeps running after the receivers of a
 * StreamingContext stop; a later receiver starts it again); off with {@code sluice.guard.enabled=false}.
 */
public final class MemoryGuard {

    private static final Object LOCK = new Object();
    private static Thread thread;
    private static boolean started;
    private static volatile GuardPolicy policy;
    private static volatile MemoryReadings lastReadings;

    private MemoryGuard() {
    }

    public static void startIfEnabled() {
        RuntimeSettings settings = SluiceRuntime.settings();
        if (!settings.getBoolean("sluice.guard.enabled", true)) {
            return;
        }
        synchronized (LOCK) {
            if (thread != null) {
                return;
            }
            final GuardPolicy p = GuardPolicy.from(settings);
            final long intervalMs = Math.max(1, settings.getDurationMs("sluice.guard.interval", 50));
            policy = p;
            thread = new Thread(new Runnable() {
                @Override
                public void run() {
                    loop(p, intervalMs);
                }
            }, "sluice-memory-guard");
            thread.setDaemon(true);
            thread.start();
            if (started) {
                return; // logged once per JVM
            }
            started = true;
            SluiceLog.info("memory guard on: every " + intervalMs + " ms; heap stress/relief "
                    + settings.get("sluice.guard.heap.stress", "0.85") + "/" + settings.get("sluice.guard.heap.relief", "0.70")
                    + ", storage stress/relief " + settings.get("sluice.guard.storage.stress", "0.85") + "/"
                    + settings.get("sluice.guard.storage.relief", "0.70"));
        }
    }

    /** Stops the guard thread when no live stream is left; the streams it tightened are retired with it. */
    public static void stopIfIdle() {
        Thread stopping;
        synchronized (LOCK) {
            if (thread == null || !StreamGates.all().isEmpty()) {
                return;
            }
            stopping = thread;
            thread = null;
            policy = null;
        }
        stopping.interrupt();
    }

    public static boolean isRunning() {
        synchronized (LOCK) {
            return thread != null;
        }
    }

    private static void loop(GuardPolicy p, long intervalMs) {
        GuardLevel previous = GuardLevel.OK;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(intervalMs);
                MemoryReadings r = JvmMemory.read();
                lastReadings = r;
                double factor = p.tick(r);
                for (ManagedStream s : StreamGates.all()) {
                    if (factor != s.guardFactor()) {
                        s.applyGuard(factor);
                    }
                }
                GuardLevel level = p.level();
                if (level != previous) {
                    SluiceLog.info("memory guard " + previous + " -> " + level + ": heap after GC "
                            + percent(r.heapAfterGcFraction()) + ", storage used " + percent(r.storageFraction())
                            + ", bound factor " + String.format(java.util.Locale.ROOT, "%.3f", factor));
                    previous = level;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                AdviceErrors.record(AdviceErrors.Hook.MEMORY_GUARD, t);
            }
        }
    }

    private static String percent(double fraction) {
        return fraction < 0 ? "unknown" : String.format(java.util.Locale.ROOT, "%.0f%%", fraction * 100);
    }

    /**
     * Stops the guard thread if it runs in this JVM (its StreamingContext stopped; in local mode the receivers ran here).
     * The next managed stream starts it again.
     */
    public static void stop() {
        Thread t;
        synchronized (LOCK) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            SluiceLog.info("memory guard stopped (its StreamingContext stopped)");
        }
    }

    static boolean running() {
        synchronized (LOCK) {
            return thread != null;
        }
    }

    /** The level for metrics; OK when the guard is off or has not run. */
    public static GuardLevel level() {
        GuardPolicy p = policy;
        return p == null ? GuardLevel.OK : p.level();
    }

    public static double factor() {
        GuardPolicy p = policy;
        return p == null ? 1.0 : p.factor();
    }

    /** The guard's last sample, or a fresh one when the guard is off. */
    public static MemoryReadings lastReadings() {
        MemoryReadings r = lastReadings;
        return r != null ? r : JvmMemory.read();
    }
}
