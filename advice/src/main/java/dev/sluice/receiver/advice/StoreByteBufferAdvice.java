package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.Receiver;

import java.nio.ByteBuffer;

/**
 * {@code Receiver.store(ByteBuffer)}: opaque bytes, record count unknown, so never cut: the storing thread
 * is only throttled. The buffer's position and content are never touched.
 */
public final class StoreByteBufferAdvice {
    private StoreByteBufferAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Receiver<?> receiver, @Advice.Argument(0) ByteBuffer bytes) {
        ReceiverHooks.throttleBytes(receiver, bytes, false);
    }
}
