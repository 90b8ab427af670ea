package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.Receiver;

import java.util.Iterator;

/**
 * {@code Receiver.store(java.util.Iterator, metadata)}: the argument is replaced by a lazy gate iterator (a
 * java.util.Iterator, which Spark then wraps with asScala).
 */
public final class StoreJavaIteratorWithMetadataAdvice {
    private StoreJavaIteratorWithMetadataAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Receiver<?> receiver,
                             @Advice.Argument(value = 0, readOnly = false) Iterator<?> records) {
        records = ReceiverHooks.gateJavaIterator(receiver, records, true);
    }
}
