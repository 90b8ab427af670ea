package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;

/**
 * What the receiver-lifecycle advice calls: {@code ReceiverSupervisor.startReceiver()} (each start and restart of a
 * receiver, before the driver registers it and before its {@code onStart}) begins a new incarnation of its stream;
 * {@code ReceiverSupervisor.stopReceiver(...)} (a stop, the first half of a restart, the supervisor's own stop) retires
 * it, which also ends the stream's throttle waits. See {@link StreamGates}.
 */
public final class ReceiverLifecycle {

    private ReceiverLifecycle() {
    }

    public static void starting(Object receiver, int streamId) {
        try {
            if (receiver != null) {
                StreamGates.receiverStarting(receiver, streamId);
            }
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.RECEIVER_LIFECYCLE, t);
        }
    }

    public static void stopping(Object receiver) {
        try {
            if (receiver != null) {
                StreamGates.receiverStopping(receiver);
            }
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.RECEIVER_LIFECYCLE, t);
        }
    }
}
