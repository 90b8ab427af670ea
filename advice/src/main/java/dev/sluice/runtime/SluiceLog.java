package dev.sluice.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Sluice's logging, through the host's SLF4J (so Spark's log4j2 configuration applies).
 *
 * <p>Why buffered: the agent starts before Spark has configured its logging; touching SLF4J that early could initialise
 * log4j2 with a default configuration behind Spark's back. So messages are kept until {@link #hostReady()} (called when
 * the first Spark hook fires), then flushed in order. If no hook fires within 30 s, or the JVM shuts down first, the
 * buffer goes to SLF4J if present, else stderr, so nothing is lost silently.
 */
public final class SluiceLog {

    public enum Level { INFO, WARN, ERROR }

    private static final String PREFIX = "Sluice: ";
    private static final long STDERR_FALLBACK_MS = 30_000;

    private static final Object LOCK = new Object();
    private static final List<Object[]> buffered = new ArrayList<Object[]>();
    private static volatile Sink sink;
    private static boolean fallbackArmed;

    private SluiceLog() {
    }

    /** Where lines go once the host's logging is ready. */
    interface Sink {
        void log(Level level, String message, Throwable error);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void warn(String message, Throwable error) {
        log(Level.WARN, message, error);
    }

    public static void error(String message, Throwable error) {
        log(Level.ERROR, message, error);
    }

    public static void log(Level level, String message, Throwable error) {
        Sink current = sink;
        if (current != null) {
            current.log(level, message, error);
            return;
        }
        synchronized (LOCK) {
            if (sink == null) {
                buffered.add(new Object[] {level, message, error});
                armFallback();
                return;
            }
        }
        sink.log(level, message, error);
    }

    /** The host (Spark) has set its logging up: switch to SLF4J and flush what was buffered. Cheap after the first call. */
    public static void hostReady() {
        if (sink != null) {
            return;
        }
        Sink slf4j = Slf4jSink.tryCreate();
        install(slf4j != null ? slf4j : StderrSink.INSTANCE);
    }

    /**
     * No Spark hook fired in time (a driver can take longer than 30 s to start its StreamingContext), or the JVM is going
     * down: use SLF4J anyway if the host has it (Spark re-applies its own log4j2 defaults later if it finds log4j2
     * unconfigured, and loggers obtained earlier follow the new configuration), else stderr.
     */
    public static void fallBack() {
        if (sink == null) {
            Sink slf4j = Slf4jSink.tryCreate();
            install(slf4j != null ? slf4j : StderrSink.INSTANCE);
        }
    }

    static void install(Sink newSink) {
        List<Object[]> pending;
        synchronized (LOCK) {
            if (sink != null) {
                return;
            }
            pending = new ArrayList<Object[]>(buffered);
            buffered.clear();
            sink = newSink;
        }
        for (Object[] line : pending) {
            newSink.log((Level) line[0], (String) line[1], (Throwable) line[2]);
        }
    }

    /** Test support: forget the sink and buffer. */
    static void reset(Sink newSink) {
        synchronized (LOCK) {
            buffered.clear();
            sink = newSink;
        }
    }

    static int bufferedCount() {
        synchronized (LOCK) {
            return buffered.size();
        }
    }

    private static void armFallback() {
        if (fallbackArmed) {
            return;
        }
        fallbackArmed = true;
        Thread timer = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    Thread.sleep(STDERR_FALLBACK_MS);
                } catch (InterruptedException e) {
                    return;
                }
                fallBack();
            }
        }, "sluice-log-fallback");
        timer.setDaemon(true);
        timer.start();
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(new Runnable() {
                @Override
                public void run() {
                    fallBack();
                }
            }, "sluice-log-flush"));
        } catch (IllegalStateException alreadyShuttingDown) {
            fallBack();
        }
    }

    /** Lines that already name Sluice (the summaries) are not prefixed again. */
    static String prefixed(String message) {
        return message.startsWith("Sluice") ? message : PREFIX + message;
    }

    static final class StderrSink implements Sink {
        static final StderrSink INSTANCE = new StderrSink();

        @Override
        public void log(Level level, String message, Throwable error) {
            System.err.println(level + " " + prefixed(message));
            if (error != null) {
                error.printStackTrace();
            }
        }
    }

    /**
     * SLF4J looked up reflectively through the system class loader: the agent never bundles SLF4J, and on a host without
     * it (a plain JVM) this sink simply does not exist.
     */
    static final class Slf4jSink implements Sink {
        private final Object logger;
        private final java.lang.reflect.Method info;
        private final java.lang.reflect.Method warn;
        private final java.lang.reflect.Method error;

        private Slf4jSink(Object logger, Class<?> loggerType) throws NoSuchMethodException {
            this.logger = logger;
            this.info = loggerType.getMethod("info", String.class, Throwable.class);
            this.warn = loggerType.getMethod("warn", String.class, Throwable.class);
            this.error = loggerType.getMethod("error", String.class, Throwable.class);
        }

        static Sink tryCreate() {
            try {
                ClassLoader loader = ClassLoader.getSystemClassLoader();
                Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, loader);
                Class<?> loggerType = Class.forName("org.slf4j.Logger", false, loader);
                Object logger = factory.getMethod("getLogger", String.class).invoke(null, "dev.sluice");
                return new Slf4jSink(logger, loggerType);
            } catch (Throwable absent) {
                return null;
            }
        }

        @Override
        public void log(Level level, String message, Throwable t) {
            try {
                java.lang.reflect.Method m = level == Level.INFO ? info : level == Level.WARN ? warn : error;
                m.invoke(logger, prefixed(message), t);
            } catch (Throwable broken) {
                StderrSink.INSTANCE.log(level, message, t);
            }
        }
    }
}
