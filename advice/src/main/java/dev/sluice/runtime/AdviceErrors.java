package dev.sluice.runtime;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Failures inside Sluice's runtime, per hook. Every runtime entry point catches {@code Throwable}, counts it here and lets
 * Spark go on as if unadvised; the first failure of each hook is logged with its stack trace, later ones only counted
 * (a hook on the hot path must not flood the log).
 */
public final class AdviceErrors {

    public enum Hook {
        STORE_SINGLE, STORE_ARRAY_BUFFER, STORE_ITERATOR, STORE_BYTE_BUFFER, UPDATE_RATE, CURRENT_LIMIT,
        CREATE_BLOCK_GENERATOR, CONTEXT_START, RATE_CONTROLLER_PUBLISH, STREAMING_LISTENER, MEMORY_GUARD,
        KAFKA_PLANNING
    }

    private static final AtomicLongArray COUNTS = new AtomicLongArray(Hook.values().length);
    private static final AtomicLongArray LOGGED = new AtomicLongArray(Hook.values().length);

    private AdviceErrors() {
    }

    public static void record(Hook hook, Throwable error) {
        int i = hook.ordinal();
        COUNTS.incrementAndGet(i);
        if (LOGGED.compareAndSet(i, 0, 1)) {
            try {
                SluiceLog.error("error in hook " + hook + " (contained; Spark continues as if unadvised; later errors "
                        + "of this hook are only counted in sluice.advice.errors)", error);
            } catch (Throwable ignored) {
                // logging must never turn a contained error into a failure
            }
        }
    }

    public static long count(Hook hook) {
        return COUNTS.get(hook.ordinal());
    }

    public static long total() {
        long sum = 0;
        for (int i = 0; i < COUNTS.length(); i++) {
            sum += COUNTS.get(i);
        }
        return sum;
    }
}
