package dev.sluice.runtime;

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

    static BatchLog batchLog() {
        return batchLog;
    }

    public static RuntimeSettings settings() {
        return settings;
    }

    static EstimatorFactory estimatorFactory() {
        return estimatorFactory;
    }

    /**
     * A Spark hook fired: Spark's logging is set up by now, so buffered log lines can be flushed, and the agent can
     * start what it deferred (metrics). Called from slow paths only (stream creation, rate updates, context start).
     */
    static void hookFired() {
        SluiceLog.hostReady();
        Runnable callback = firstHookCallback;
        if (callback != null) {
            firstHookCallback = null;
            try {
                callback.run();
            } catch (Throwable t) {
                SluiceLog.warn("start-up after the first Spark hook failed", t);
            }
        }
    }
}
