package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverLifecycle;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.receiver.ReceiverSupervisor;

/**
 * {@code ReceiverSupervisor.startReceiver()} enter (a start or the second half of a restart; before the receiver
 * registers with the driver, so the driver's first bound finds the new incarnation): a new incarnation of the stream.
 */
public final class ReceiverStartAdvice {
    private ReceiverStartAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This ReceiverSupervisor supervisor,
                             @Advice.FieldValue("receiver") Object receiver) {
        ReceiverLifecycle.starting(receiver, supervisor.streamId());
    }
}
