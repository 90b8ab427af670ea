package dev.sluice.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Thrown (one shared, stackless instance) when a hook meets a receiver with no input stream: stream id -1, a receiver
 * or supervisor built outside Spark's ReceiverTracker, as Spark's own receiver tests do. Sluice has nothing to govern
 * there and Spark goes on unadvised; this is not a failure of Sluice, so {@link AdviceErrors} counts it here and logs
 * one line, without a stack trace.
 */
public final class UnattachedReceiver extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public static final UnattachedReceiver INSTANCE = new UnattachedReceiver();
    private static final AtomicLong COUNT = new AtomicLong();

    private UnattachedReceiver() {
        super("receiver with no input stream", null, false, false);
    }

    static void noted(AdviceErrors.Hook hook) {
        if (COUNT.getAndIncrement() == 0) {
            SluiceLog.info("a receiver with no input stream (stream id -1: not started by Spark's ReceiverTracker) "
                    + "reached hook " + hook + "; Sluice leaves such receivers to Spark (counted, not an error)");
        }
    }

    /** Hook calls that met a receiver with no input stream in this JVM. */
    static long count() {
        return COUNT.get();
    }
}
