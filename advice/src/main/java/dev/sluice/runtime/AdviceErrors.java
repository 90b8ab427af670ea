package dev.sluice.runtime;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Failures inside Sluice's runtime, per hook, and the per-hook circuit breaker. Every runtime entry point catches
 * {@code Throwable}, counts it here and lets Spark go on as if unadvised; the first failure of each hook is logged with
 * its stack trace, later ones only counted (a hook on the hot path must not flood the log).
 *
 * <p>Circuit breaker (hooks called per record or per receiver poll, {@link Hook#hasBreaker}): once a hook has failed {@code sluice.advice.maxErrors} times (default
 * {@value #DEFAULT_MAX_ERRORS}) in this JVM, it turns itself into a pass-through for the rest of the JVM's life: its
 * entry point returns at once, as if unadvised, so a persistent failure (a class that does not link, a broken strategy
 * loader) costs one volatile read per call instead of a Throwable per record. The trip is counted
 * ({@link #tripped(Hook)}) and logged once. A pass-through hook counts nothing: the counters of its streams stop where
 * the hook tripped.
 */
public final class AdviceErrors {

    /**
     * The hooks. Those called per record or per receiver poll have a breaker; the others run once per context, batch,
     * receiver start or guard tick, so a persistent failure there costs little and they keep trying (counted).
     */
    public enum Hook {
        STORE_SINGLE(true), STORE_ARRAY_BUFFER(true), STORE_ITERATOR(true), STORE_BYTE_BUFFER(true),
        UPDATE_RATE(false), CURRENT_LIMIT(true), CREATE_BLOCK_GENERATOR(false), CONTEXT_START(false),
        RATE_CONTROLLER_PUBLISH(false), STREAMING_LISTENER(false), MEMORY_GUARD(false), RECEIVER_LIFECYCLE(false), CONTEXT_STOP(false),
        KAFKA_PLANNING(false), STRATEGY_DEADLINE(false);

        /** Whether the hook turns into a pass-through after {@code sluice.advice.maxErrors} failures. */
        public final boolean hasBreaker;

        Hook(boolean hasBreaker) {
            this.hasBreaker = hasBreaker;
        }
    }

    /** The configuration key of the breaker's threshold. */
    public static final String MAX_ERRORS_KEY = "sluice.advice.maxErrors";
    public static final long DEFAULT_MAX_ERRORS = 100;

    private static final AtomicLongArray COUNTS = new AtomicLongArray(Hook.values().length);
    private static final AtomicLongArray LOGGED = new AtomicLongArray(Hook.values().length);
    /** 1 where the hook is a pass-through. Read on every call of the hook: one volatile read. */
    private static final AtomicIntegerArray BYPASSED = new AtomicIntegerArray(Hook.values().length);

    private AdviceErrors() {
    }

    /** Whether {@code hook} tripped its breaker: its entry point must then do nothing. */
    public static boolean bypassed(Hook hook) {
        return BYPASSED.get(hook.ordinal()) != 0;
    }

    public static void record(Hook hook, Throwable error) {
        if (error == UnattachedReceiver.INSTANCE) {
            UnattachedReceiver.noted(hook);
            return;
        }
        int i = hook.ordinal();
        long count = COUNTS.incrementAndGet(i);
        if (LOGGED.compareAndSet(i, 0, 1)) {
            log("error in hook " + hook + " (contained; Spark continues as if unadvised; later errors of this hook are "
                    + "only counted in sluice.advice.errors)", error);
        }
        if (hook.hasBreaker && count >= maxErrors() && BYPASSED.compareAndSet(i, 0, 1)) {
            log("hook " + hook + " failed " + count + " times (" + MAX_ERRORS_KEY + "=" + maxErrors()
                    + "): it is a pass-through from now on in this JVM; Spark runs unadvised at this hook, and its "
                    + "records are no longer counted", null);
        }
    }

    private static volatile long maxErrorsCache = Long.MIN_VALUE;

    /** The breaker's threshold, read once from the settings; never below 1. */
    static long maxErrors() {
        long v = maxErrorsCache;
        if (v == Long.MIN_VALUE) {
            try {
                v = Math.max(1, SluiceRuntime.settings().getLong(MAX_ERRORS_KEY, DEFAULT_MAX_ERRORS));
            } catch (Throwable t) {
                v = DEFAULT_MAX_ERRORS;
            }
            maxErrorsCache = v;
        }
        return v;
    }

    private static void log(String message, Throwable error) {
        try {
            SluiceLog.error(message, error);
        } catch (Throwable ignored) {
            // logging must never turn a contained error into a failure
        }
    }

    public static long count(Hook hook) {
        return COUNTS.get(hook.ordinal());
    }

    /** Whether the hook's breaker tripped (1) or not (0): for the meters. */
    public static long tripped(Hook hook) {
        return BYPASSED.get(hook.ordinal());
    }

    public static long total() {
        long sum = 0;
        for (int i = 0; i < COUNTS.length(); i++) {
            sum += COUNTS.get(i);
        }
        return sum;
    }

    /** Test support: closes every breaker, forgets the counts and re-reads the threshold. */
    public static void resetForTests() {
        for (int i = 0; i < COUNTS.length(); i++) {
            COUNTS.set(i, 0);
            LOGGED.set(i, 0);
            BYPASSED.set(i, 0);
        }
        maxErrorsCache = Long.MIN_VALUE;
    }
}
