package dev.sluice.advice;

import dev.sluice.runtime.DriverRuntime;
import net.bytebuddy.asm.Advice;

/**
 * {@code ReceiverInputDStream$ReceiverRateController.publish(J)V}: with spark.streaming.backpressure.enabled=true Spark's
 * PID would overwrite Sluice's bound about once a batch; while Sluice is in charge its publication is skipped.
 */
public final class RateControllerPublishAdvice {
    private RateControllerPublishAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.Argument(0) long rate) {
        return DriverRuntime.skipSparkPublish(rate);
    }
}
