package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.Receiver;
import scala.collection.mutable.ArrayBuffer;

/**
 * {@code Receiver.store(ArrayBuffer)}: the argument is replaced by a new buffer of the kept records when the
 * strategy cuts (the caller's buffer is never mutated).
 */
public final class StoreArrayBufferAdvice {
    private StoreArrayBufferAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Receiver<?> receiver,
                             @Advice.Argument(value = 0, readOnly = false) ArrayBuffer<?> buffer) {
        buffer = ReceiverHooks.gateArrayBuffer(receiver, buffer, false);
    }
}
