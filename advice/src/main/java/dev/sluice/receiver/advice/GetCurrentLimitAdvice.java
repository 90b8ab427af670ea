package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.BoundHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RateLimiter.getCurrentLimit()J} exit: the limit actually enforced, the lower of Spark's limiter and Sluice's
 * bound for the stream, so a receiver asking {@code supervisor().getCurrentRateLimit()} sees what holds it back.
 */
public final class GetCurrentLimitAdvice {
    private GetCurrentLimitAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object rateLimiter, @Advice.Return(readOnly = false) long limit) {
        limit = BoundHooks.currentLimit(rateLimiter, limit);
    }
}
