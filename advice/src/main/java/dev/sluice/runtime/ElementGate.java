package dev.sluice.runtime;

/** Per-element decision for the gate iterators: the stream's gate, with Sluice's own failures contained. */
final class ElementGate {
    private ElementGate() {
    }

    static boolean admit(ManagedStream stream, Object element) {
        try {
            return stream.gate().admitOne(element);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return true;
        }
    }
}
