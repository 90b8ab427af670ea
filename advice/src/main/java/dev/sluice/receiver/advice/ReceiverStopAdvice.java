package dev.sluice.receiver.advice;

import dev.sluice.receiver.executor.ReceiverLifecycle;
import net.bytebuddy.asm.Advice;

/**
 * {@code ReceiverSupervisor.stopReceiver(String, Option)} enter (a stop, the first half of a restart, the supervisor's
 * own stop; before the receiver's {@code onStop}, which may wait for a storing thread): the stream's incarnation is
 * retired, which ends its throttle waits.
 */
public final class ReceiverStopAdvice {
    private ReceiverStopAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("receiver") Object receiver) {
        ReceiverLifecycle.stopping(receiver);
    }
}
