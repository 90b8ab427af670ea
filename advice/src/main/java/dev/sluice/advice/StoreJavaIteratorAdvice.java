package dev.sluice.advice;

import dev.sluice.runtime.ReceiverHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.Receiver;

import java.util.Iterator;

/**
 * {@code Receiver.store(java.util.Iterator)}: the argument is replaced by a lazy gate iterator (a
 * java.util.Iterator, which Spark then wraps with asScala). Under a lossy strategy while congested, the kept records
 * go through the BlockGenerator instead and Spark's call is skipped ({@code BulkCoalescing}).
 */
public final class StoreJavaIteratorAdvice {
    private StoreJavaIteratorAdvice() {
    }

    // No suppress: Sluice's own failures are contained inside ReceiverHooks; what escapes is the source's or Spark's
    // own exception, which Spark's store would have thrown too (and must not be followed by a second store).
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(@Advice.This Receiver<?> receiver,
                                @Advice.Argument(value = 0, readOnly = false) Iterator<?> records) {
        Object toStore = ReceiverHooks.javaIteratorToStore(receiver, records);
        if (toStore == ReceiverHooks.COALESCED) {
            return true;
        }
        records = (Iterator<?>) toStore;
        return false;
    }
}
