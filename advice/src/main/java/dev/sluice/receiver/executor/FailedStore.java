package dev.sluice.receiver.executor;

import scala.collection.AbstractIterator;

/**
 * What the iterator advice hands Spark when a coalesced store failed with the caller's own error (its iterator threw,
 * or Spark's {@code pushSingle} did): an iterator that throws that error on first use, so Spark's own store throws it
 * to the caller exactly as it would have unadvised. This lets the advice suppress every Throwable of its own (it must
 * never break the host) without swallowing an error the caller has to see, and without a second store of the records
 * already pushed.
 */
final class FailedStore {

    private FailedStore() {
    }

    static scala.collection.Iterator<Object> scalaRethrowing(final Throwable error) {
        return new AbstractIterator<Object>() {
            @Override
            public boolean hasNext() {
                throw FailedStore.<RuntimeException>sneaky(error);
            }

            @Override
            public Object next() {
                throw FailedStore.<RuntimeException>sneaky(error);
            }
        };
    }

    static java.util.Iterator<Object> javaRethrowing(final Throwable error) {
        return new java.util.Iterator<Object>() {
            @Override
            public boolean hasNext() {
                throw FailedStore.<RuntimeException>sneaky(error);
            }

            @Override
            public Object next() {
                throw FailedStore.<RuntimeException>sneaky(error);
            }
        };
    }

    /** Throws {@code error} as it is, checked or not. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable error) throws T {
        throw (T) error;
    }
}
