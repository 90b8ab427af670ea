package dev.sluice.bench;

import java.util.NoSuchElementException;

import scala.collection.AbstractIterator;

/** A Scala iterator over a fixed array that can be rewound, so the benchmark allocates nothing per call itself. */
public final class ReusableIterator extends AbstractIterator<Object> {

    private final Object[] items;
    private int next;

    public ReusableIterator(Object[] items) {
        this.items = items;
    }

    public ReusableIterator rewind() {
        next = 0;
        return this;
    }

    @Override
    public boolean hasNext() {
        return next < items.length;
    }

    @Override
    public Object next() {
        if (next >= items.length) {
            throw new NoSuchElementException();
        }
        return items[next++];
    }
}
