package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.BoundHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RateLimiter.updateRate(J)V} (declaring class; {@code this} is a BlockGenerator): the bound sent by the driver
 * arrives here. Sluice keeps it, and Spark's own update runs with the rate {@code BoundHooks.onUpdateRate} returns:
 * {@code Long.MAX_VALUE} for a stream Sluice governs, so Spark's limiter drops its initial rate and keeps only the
 * user's {@code receiver.maxRate}; the bound itself where Spark's limiter stays in charge (own BlockGenerator).
 */
public final class UpdateRateAdvice {
    private UpdateRateAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object rateLimiter,
                             @Advice.Argument(value = 0, readOnly = false) long recordsPerSecond) {
        recordsPerSecond = BoundHooks.onUpdateRate(rateLimiter, recordsPerSecond);
    }
}
