package dev.sluice.strategy;

/** The records of one bulk store, viewed without copying, and the selection a strategy makes among them. */
public interface Chunk {

    int size();

    Object get(int index);

    /** Keeps the record at {@code index}; idempotent. */
    void keep(int index);

    /** Keeps every record (the common, uncongested case: no copy is made). */
    void keepAll();
}
