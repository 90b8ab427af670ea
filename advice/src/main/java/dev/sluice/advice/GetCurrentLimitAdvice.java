package dev.sluice.advice;

import dev.sluice.runtime.BoundHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RateLimiter.getCurrentLimit()J} exit: for a stream Sluice manages, report Sluice's bound (Spark's own limiter
 * was left unlimited), so a receiver asking {@code supervisor().getCurrentRateLimit()} sees the bound in force.
 */
public final class GetCurrentLimitAdvice {
    private GetCurrentLimitAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object rateLimiter, @Advice.Return(readOnly = false) long limit) {
        limit = BoundHooks.currentLimit(rateLimiter, limit);
    }
}
