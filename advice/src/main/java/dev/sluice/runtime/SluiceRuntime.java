package dev.sluice.runtime;

import dev.sluice.receiver.driver.BatchLog;

/**
 * What the agent hands the runtime at start-up: the validated settings and the driver's estimator factory. Static
 * because inlined advice can only reach the runtime through static calls.
 */
public final class SluiceRuntime {

    private static volatile RuntimeSettings settings = RuntimeSettings.empty();
    private static volatile EstimatorFactory estimatorFactory;
    private static volatile Runnable firstHookCallback;
    private static volatile BatchLog batchLog;

    private SluiceRuntime() {
    }

    public static void install(RuntimeSettings newSettings, EstimatorFactory factory, Runnable onFirstHook) {
        install(newSettings, factory, onFirstHook, null);
    }

    /**
     * @param log receives every completed batch on the driver (the CSV sink), or null. Everything here is free of Spark
     *            types, so the agent can call it in any JVM, Spark or not.
     */
    public static void install(RuntimeSettings newSettings, EstimatorFactory factory, Runnable onFirstHook,
                               BatchLog log) {
        settings = newSettings;
        estimatorFactory = factory;
        firstHookCallback = onFirstHook;
        batchLog = log;
    }

    public static BatchLog batchLog() {
        return batchLog;
    }

    public static RuntimeSettings settings() {
        return settings;
    }

    public static EstimatorFactory estimatorFactory() {
        return estimatorFactory;
    }

    /**
     * Replaces the settings, the estimator factory and the batch log, leaving the first-hook callback alone: the agent
     * calls it from that callback once Spark's configuration is known.
     */
    public static void reconfigure(RuntimeSettings newSettings, EstimatorFactory factory, BatchLog log) {
        settings = newSettings;
        estimatorFactory = factory;
        batchLog = log;
    }

    private static final Object FIRST_HOOK_LOCK = new Object();
    private static boolean firstHookRunning;

    /**
     * A Spark hook fired: Spark's logging is set up by now, so buffered log lines can be flushed, and the agent can
     * complete what it deferred (Spark's configuration, metrics). Called from slow paths only (stream creation, rate
     * updates, context start). A second hook on another thread waits until the first one's callback is done, so no
     * stream is ever created with the settings of before Spark's configuration was read.
     */
    public static void hookFired() {
        SluiceLog.hostReady();
        if (firstHookCallback == null) {
            return;
        }
        synchronized (FIRST_HOOK_LOCK) {
            Runnable callback = firstHookCallback;
            if (callback == null || firstHookRunning) {
                return; // done by another thread, or this thread re-entered from inside the callback
            }
            firstHookRunning = true;
            try {
                callback.run();
            } catch (Throwable t) {
                SluiceLog.warn("start-up after the first Spark hook failed", t);
            } finally {
                firstHookCallback = null;
                firstHookRunning = false;
            }
        }
    }
}
