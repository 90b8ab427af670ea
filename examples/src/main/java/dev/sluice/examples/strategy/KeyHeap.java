package dev.sluice.examples.strategy;

import java.util.Arrays;

/**
 * The largest keys offered, at most {@code k} of them, as a min-heap of doubles: {@link #min()} is the k-th largest.
 * Grows by doubling up to {@link TopKStrategy#MAX_TRACKED} and is then reused, so a steady k allocates only while
 * warming up. Not thread-safe: {@link TopKStrategy} calls it under its lock.
 */
final class KeyHeap {

    private double[] heap = new double[16];
    private int size;

    int size() {
        return size;
    }

    /** The smallest key held: the k-th largest offered once {@code size() == k}. */
    double min() {
        return heap[0];
    }

    double get(int i) {
        return heap[i];
    }

    void clear() {
        size = 0;
    }

    /**
     * Offers a key to the k largest; returns whether it is among them now (ties with the smallest count as in). A
     * smaller k than before drops the smallest keys first: k follows the bound, which changes with every estimate.
     */
    boolean offer(double key, long k) {
        trimTo(k);
        if (k <= 0) {
            return false;
        }
        if (size < k) {
            push(key);
            return true;
        }
        if (key >= heap[0]) {
            heap[0] = key;
            siftDown(0);
            return true;
        }
        return false;
    }

    void trimTo(long k) {
        while (size > Math.max(0, k)) {
            heap[0] = heap[--size];
            siftDown(0);
        }
    }

    private void push(double key) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, Math.max(16, Math.min(TopKStrategy.MAX_TRACKED, heap.length * 2)));
        }
        int i = size++;
        heap[i] = key;
        while (i > 0 && heap[(i - 1) >>> 1] > heap[i]) {
            int parent = (i - 1) >>> 1;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < size && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < size && heap[right] < heap[smallest]) {
                smallest = right;
            }
            if (smallest == i) {
                return;
            }
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        double t = heap[a];
        heap[a] = heap[b];
        heap[b] = t;
    }
}
