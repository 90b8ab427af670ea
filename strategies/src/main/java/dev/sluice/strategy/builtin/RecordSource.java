package dev.sluice.strategy.builtin;

/**
 * Indexed read access to the records of one bulk store, so a {@link ChunkSelection} can view a collection it does not
 * know (the runtime adapts Scala's {@code ArrayBuffer}) without copying it.
 */
@FunctionalInterface
public interface RecordSource {

    /** The record at {@code index}, {@code 0 <= index < size} of the chunk. */
    Object recordAt(int index);
}
