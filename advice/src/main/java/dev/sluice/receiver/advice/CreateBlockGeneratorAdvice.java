package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.BoundHooks;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;

/**
 * {@code ReceiverSupervisorImpl.createBlockGenerator(listener)} exit: remembers the generator's receiver (rate updates
 * arrive on the generator), and a listener other than the supervisor's default one means the receiver runs a
 * BlockGenerator of its own (the Kinesis pattern), already rate-limited by Spark: that stream keeps Spark's limiter,
 * and its later store(ArrayBuffer, metadata) is counted but not limited again.
 */
public final class CreateBlockGeneratorAdvice {
    private CreateBlockGeneratorAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This ReceiverSupervisor supervisor, @Advice.Argument(0) Object listener,
                            @Advice.FieldValue("receiver") Object receiver,
                            @Advice.FieldValue("defaultBlockGeneratorListener") Object defaultListener,
                            @Advice.Return Object blockGenerator) {
        BoundHooks.onBlockGeneratorCreated(supervisor, receiver, listener, defaultListener, blockGenerator);
    }
}
