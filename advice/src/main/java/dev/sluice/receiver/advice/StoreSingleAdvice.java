package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.Receiver;

/** {@code Receiver.store(T)}: a discarded record skips the call, so Spark's BlockGenerator never sees it. */
public final class StoreSingleAdvice {
    private StoreSingleAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    public static boolean enter(@Advice.This Receiver<?> receiver, @Advice.Argument(0) Object record) {
        return ReceiverHooks.discardSingle(receiver, record);
    }
}
