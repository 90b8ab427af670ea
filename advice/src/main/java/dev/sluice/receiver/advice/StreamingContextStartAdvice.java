package dev.sluice.receiver.advice;

import dev.sluice.receiver.driver.DriverRuntime;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.StreamingContext;

/** {@code StreamingContext.start()V} exit: the driver side of the loop attaches to the started context. */
public final class StreamingContextStartAdvice {
    private StreamingContextStartAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This StreamingContext context) {
        DriverRuntime.onContextStarted(context);
    }
}
