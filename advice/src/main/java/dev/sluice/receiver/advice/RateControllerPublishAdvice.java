package dev.sluice.receiver.advice;

import dev.sluice.receiver.driver.DriverRuntime;
import net.bytebuddy.asm.Advice;

/**
 * {@code ReceiverInputDStream$ReceiverRateController.publish(J)V}: with spark.streaming.backpressure.enabled=true Spark's
 * PID would overwrite Sluice's bound about once a batch; its publication is skipped for a stream once Sluice has a bound
 * of its own for it (before that, and with Spark's back-pressure off, Spark's rate goes through). {@code $outer} is the
 * controller's input stream (Scala's enclosing-instance field), the way to its StreamingContext.
 */
public final class RateControllerPublishAdvice {
    private RateControllerPublishAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This Object controller, @Advice.FieldValue("$outer") Object inputStream,
                                @Advice.Argument(0) long rate) {
        return DriverRuntime.skipSparkPublish(controller, inputStream, rate);
    }
}
