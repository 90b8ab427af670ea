package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverHooks;
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

    // The runtime never throws: an error of the caller's iterator or of Spark's push while coalescing comes back as an
    // iterator that rethrows it inside Spark's own store, so suppressing here swallows only Sluice's own failures.
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
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
