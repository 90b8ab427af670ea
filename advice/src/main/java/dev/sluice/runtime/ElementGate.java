package dev.sluice.runtime;

import dev.sluice.strategy.builtin.StreamGate;

/** Per-element decision for gate iterators: the stream's gate, with Sluice's own failures contained. */
final class ElementGate {
    private final ManagedStream stream;

    ElementGate(ManagedStream stream) {
        this.stream = stream;
    }

    boolean admit(Object element) {
        try {
            StreamGate gate = stream.gate();
            return gate.admitOne(element);
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.STORE_ITERATOR, t);
            return true;
        }
    }
}
