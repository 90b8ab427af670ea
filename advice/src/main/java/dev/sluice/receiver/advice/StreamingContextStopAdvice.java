package dev.sluice.receiver.advice;

import dev.sluice.receiver.driver.DriverRuntime;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.StreamingContext;

/**
 * {@code StreamingContext.stop(ZZ)V} exit (every stop goes through it: {@code stop(Z)}, the shutdown hook,
 * JavaStreamingContext): the driver side detaches from the stopped context. Not run when stop throws (the context did
 * not stop).
 */
public final class StreamingContextStopAdvice {
    private StreamingContextStopAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This StreamingContext context) {
        DriverRuntime.onContextStopped(context);
    }
}
