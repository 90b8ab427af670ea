package dev.sluice.examples.overload;

/** How a receiver hands records to Spark. */
public enum StoreMode {
    /** {@code store(record)} per record: Spark's block generator and rate limiter path. */
    SINGLE,
    /** {@code store(java.util.Iterator)} once per 10 ms tick: a bulk store, one block per call. */
    ITERATOR;

    static StoreMode parse(String s) {
        for (StoreMode m : values()) {
            if (m.name().equalsIgnoreCase(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("receiver mode '" + s + "' unknown; allowed: single, iterator");
    }
}
