package dev.sluice.reactive;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** Test sink: keeps every block, counts terminal signals, and can be told to fail its next store. */
class CollectingSink<T> implements Sink<T> {

    final List<List<T>> blocks = new CopyOnWriteArrayList<>();
    final AtomicInteger completions = new AtomicInteger();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final CountDownLatch terminal = new CountDownLatch(1);
    volatile RuntimeException failNextStore;

    @Override
    public void store(List<T> block) {
        RuntimeException f = failNextStore;
        if (f != null) {
            failNextStore = null;
            throw f;
        }
        blocks.add(new ArrayList<>(block));
    }

    @Override
    public void completed() {
        completions.incrementAndGet();
        terminal.countDown();
    }

    @Override
    public void failed(Throwable error) {
        failures.add(error);
        terminal.countDown();
    }

    List<T> all() {
        List<T> out = new ArrayList<>();
        for (List<T> b : blocks) {
            out.addAll(b);
        }
        return out;
    }
}
