package dev.sluice.examples.strategy;

/**
 * The K largest keys seen over a sliding window, in bounded memory: the window is cut into {@code buckets} equal
 * sub-windows, each keeping its own K largest keys, and the window's K largest are the K largest of their union (a key
 * among the window's K largest is among its own bucket's). The window slides one bucket at a time, so it covers between
 * {@code window × (buckets − 1) / buckets} and {@code window} of the past. Memory: {@code (buckets + 1) × K} doubles.
 * Not thread-safe: {@link TopKStrategy} calls it under its lock.
 */
final class SlidingTopK {

    private final long bucketNanos;
    private final KeyHeap[] ring;
    private final KeyHeap windowTop = new KeyHeap();
    private int current;
    private long currentEnd;
    private boolean started;

    SlidingTopK(long windowNanos, int buckets) {
        if (windowNanos <= 0 || buckets < 1) {
            throw new IllegalArgumentException("window " + windowNanos + " ns, buckets " + buckets);
        }
        this.bucketNanos = Math.max(1, windowNanos / buckets);
        this.ring = new KeyHeap[buckets];
        for (int i = 0; i < buckets; i++) {
            ring[i] = new KeyHeap();
        }
    }

    int buckets() {
        return ring.length;
    }

    /** Offers a key seen at {@code now}; true when it ranks among the K largest of the window, itself included. */
    boolean offer(double key, long now, long k) {
        if (!started) {
            started = true;
            currentEnd = now + bucketNanos;
        } else if (now >= currentEnd) {
            rotate(now, k);
        }
        ring[current].offer(key, k);
        return windowTop.offer(key, k);
    }

    /** The K-th largest key of the window (minus infinity while it has fewer than K), for monitoring and tests. */
    double threshold(long k) {
        return windowTop.size() >= k && k > 0 ? windowTop.min() : Double.NEGATIVE_INFINITY;
    }

    /** Expires the buckets that left the window and ranks what remains afresh. */
    private void rotate(long now, long k) {
        long steps = (now - currentEnd) / bucketNanos + 1;
        for (long i = 0; i < Math.min(steps, ring.length); i++) {
            current = (current + 1) % ring.length;
            ring[current].clear();
        }
        currentEnd += steps * bucketNanos;
        windowTop.clear();
        for (KeyHeap bucket : ring) {
            bucket.trimTo(k);
            for (int i = 0; i < bucket.size(); i++) {
                windowTop.offer(bucket.get(i), k);
            }
        }
    }
}
