package dev.sluice.advice;

import dev.sluice.runtime.BoundHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code RateLimiter.updateRate(J)V} (declaring class; {@code this} is a BlockGenerator): the bound sent by the driver
 * arrives here. Sluice keeps it, and skips Spark's own limiter (so drop/sample on store(single) are not also blocked by
 * Guava) unless the stream feeds its own BlockGenerator (Kinesis pattern), where Spark's limiter stays in charge.
 */
public final class UpdateRateAdvice {
    private UpdateRateAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This Object rateLimiter, @Advice.Argument(0) long recordsPerSecond) {
        return BoundHooks.onUpdateRate(rateLimiter, recordsPerSecond);
    }
}
