package dev.sluice.receiver.executor;

import dev.sluice.runtime.AdviceErrors;
import dev.sluice.strategy.builtin.StreamGate;

/**
 * The per-element steps of the gate iterators and of {@link BulkCoalescing}, with Sluice's own failures contained:
 * {@link #offer} when an element is pulled from the caller's iterator (offered, then decided; a discard is final at
 * once), {@link #handOver} when an admitted element goes to Spark (admitted and stored: its fate is final only then,
 * so an element Spark never takes is never counted admitted).
 */
final class ElementGate {

    private ElementGate() {
    }

    /**
     * Offers one pulled element: true to hand it to Spark, false when the strategy discarded it (counted). A pass-through
     * hook or a failure keeps the element, uncounted ({@link #UNCOUNTED}) or counted ({@link #COUNTED}).
     *
     * @return {@link #DISCARDED}, {@link #COUNTED} (keep; offered, to be settled by {@link #handOver}) or
     *         {@link #UNCOUNTED} (keep; the hook passes through, nothing to settle)
     */
    static int offer(ManagedStream stream, Object element) {
        if (AdviceErrors.bypassed(AdviceErrors.Hook.STORE_ITERATOR)) {
            return UNCOUNTED;
        }
        boolean offered = false;
        try {
            StreamGate gate = stream.gate();
            gate.offer(1);
            offered = true;
            if (gate.decideOne(element)) {
                return COUNTED;
            }
            gate.commit(0, 1);
            return DISCARDED;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return offered ? COUNTED : UNCOUNTED;
        }
    }

    static final int DISCARDED = 0;
    static final int COUNTED = 1;
    static final int UNCOUNTED = 2;

    /** An element offered with {@link #COUNTED} was handed to Spark: its fate is final. */
    static void handOver(ManagedStream stream) {
        try {
            StreamGate gate = stream.gate();
            gate.commit(1, 0);
            gate.stored(1);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
        }
    }
}
