package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.Receiver;
import scala.collection.Iterator;

/**
 * {@code Receiver.store(scala.Iterator, metadata)}: the argument is replaced by a lazy gate iterator that asks the
 * strategy per element while Spark consumes it.
 */
public final class StoreScalaIteratorWithMetadataAdvice {
    private StoreScalaIteratorWithMetadataAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Receiver<?> receiver,
                             @Advice.Argument(value = 0, readOnly = false) Iterator<?> records) {
        records = ReceiverHooks.gateScalaIterator(receiver, records, true);
    }
}
