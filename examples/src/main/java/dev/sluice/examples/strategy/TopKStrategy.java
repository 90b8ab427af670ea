package dev.sluice.examples.strategy;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.StrategyContext;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Worked example of a user strategy: under congestion, keep the K records with the largest key per block interval,
 * where K is what the budget allows per interval ({@link Budget#perInterval()}). Use it with
 * {@code sluice.strategy=dev.sluice.examples.strategy.TopKStrategy}; override {@link #key(Object)} to rank by something
 * else.
 *
 * <p><b>Bulk stores</b> ({@code store(ArrayBuffer)}): exact. The chunk gets {@code granted = tryAcquire(size)} permits
 * and keeps the {@code granted} records with the largest keys (ties broken by position), in their original order.
 *
 * <p><b>Single records</b> ({@code store(record)}, iterator elements): a record cannot wait for the rest of its interval,
 * so the decision uses an estimate. A record is admitted when its key is at least the <em>threshold</em>, the K-th
 * largest key seen in the previous block interval, and the budget has a permit. In a stationary stream this keeps about
 * the K largest per interval; when the key distribution shifts, the threshold follows one interval later. In the first
 * interval, after an interval with at most K records, or when K exceeds {@value #MAX_TRACKED} (too many keys to track),
 * the threshold is minus infinity and records are admitted first-come within the budget. Only single records feed the
 * threshold.
 *
 * <p>K follows the bound, which changes with every estimate: the interval's ranking is kept and trimmed or extended,
 * not restarted.
 *
 * <p>Cost: while a bound is in force each single record takes a short lock to update the interval's top-K heap (clarity
 * over speed: a production strategy could use a lock-free quantile sketch); the heap grows by doubling up to K and is
 * then reused. Without a bound nothing is tracked and every record is admitted. Bulk stores allocate two
 * {@code double[size]} per congested chunk.
 *
 * <p>Parameter: {@code sluice.strategy.field} (or {@code sluice.stream.<id>.strategy.field}): 0-based index of the field
 * of a text record used as the key; default: the first numeric field.
 */
public class TopKStrategy implements CongestionStrategy {

    /** Largest K for which single records are ranked (the heap holds K doubles). */
    public static final int MAX_TRACKED = 1 << 16;

    private static final long DEFAULT_INTERVAL_NANOS = 200_000_000L;

    private final LongSupplier nanoTime;
    private volatile long intervalNanos = DEFAULT_INTERVAL_NANOS;
    private volatile int field = -1;

    /** K-th largest key of the previous interval; single records below it are discarded. */
    private volatile double threshold = Double.NEGATIVE_INFINITY;

    // Guarded by this: the current interval's K largest keys as a min-heap, so heap[0] is the K-th largest.
    private double[] heap = new double[16];
    private int heapSize;
    private long intervalEnd;
    private boolean started;

    public TopKStrategy() {
        this(System::nanoTime);
    }

    /** For tests: a clock other than {@link System#nanoTime()}. */
    protected TopKStrategy(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void init(StrategyContext context) {
        intervalNanos = Math.max(1, context.blockIntervalMillis()) * 1_000_000L;
        String configured = context.parameter("field", "").trim();
        if (!configured.isEmpty()) {
            field = Integer.parseInt(configured); // a bad value fails here, once: the gate falls back to throttle
        }
    }

    @Override
    public boolean admit(Object record, Budget budget) {
        long k = budget.perInterval();
        if (k == Long.MAX_VALUE) {
            return true; // no bound: nothing to rank
        }
        double key = rank(record);
        observe(key, k);
        return key >= threshold && budget.tryAcquire(1) == 1;
    }

    @Override
    public void admitBulk(Chunk chunk, Budget budget) {
        int size = chunk.size();
        int granted = budget.tryAcquire(size);
        if (granted == size) {
            chunk.keepAll();
            return;
        }
        if (granted == 0) {
            return;
        }
        double[] keys = new double[size];
        for (int i = 0; i < size; i++) {
            keys[i] = rank(chunk.get(i));
        }
        double[] sorted = keys.clone();
        Arrays.sort(sorted);
        double kth = sorted[size - granted]; // the granted-th largest key
        int above = 0;
        for (double key : keys) {
            if (key > kth) {
                above++;
            }
        }
        int ties = granted - above; // records equal to kth that still fit: the earliest ones
        for (int i = 0; i < size; i++) {
            if (keys[i] > kth || (keys[i] == kth && ties-- > 0)) {
                chunk.keep(i);
            }
        }
    }

    /** Records only ever get discarded, so this strategy is refused on reliable receivers unless the user opts in. */
    @Override
    public boolean mayDiscard() {
        return true;
    }

    /**
     * The ranking key; larger is better. Numbers: their value. Text: the configured field, else the first field (comma
     * or blank separated) that parses as a number; text without one ranks last. Anything else: its hash code (an
     * arbitrary but stable order). Override to rank by a field of your own record type.
     */
    protected double key(Object record) {
        if (record instanceof Number) {
            return ((Number) record).doubleValue();
        }
        if (record instanceof CharSequence) {
            return numericField((CharSequence) record, field);
        }
        return record == null ? Double.NEGATIVE_INFINITY : record.hashCode();
    }

    /** The K-th largest key of the previous interval (minus infinity when none), for monitoring and tests. */
    public double threshold() {
        return threshold;
    }

    private double rank(Object record) {
        double key = key(record);
        return Double.isNaN(key) ? Double.NEGATIVE_INFINITY : key;
    }

    private synchronized void observe(double key, long k) {
        long now = nanoTime.getAsLong();
        if (!started) {
            started = true;
            intervalEnd = now + intervalNanos;
        } else if (now >= intervalEnd) {
            boolean previousWasJustOne = now < intervalEnd + intervalNanos;
            threshold = previousWasJustOne && heapSize >= k && heapSize > 0 ? heap[0] : Double.NEGATIVE_INFINITY;
            heapSize = 0;
            intervalEnd = now + intervalNanos - (now - intervalEnd) % intervalNanos;
        }
        if (k > MAX_TRACKED) {
            threshold = Double.NEGATIVE_INFINITY;
            return;
        }
        // The bound, hence K, changes with every estimate (each batch): keep the interval's ranking and adjust it
        // rather than starting afresh. A shrunk K drops the smallest keys; a grown K ranks from now on.
        while (heapSize > k) {
            popMin();
        }
        if (heapSize < k) {
            push(key);
        } else if (key > heap[0]) {
            heap[0] = key;
            siftDown(0);
        }
    }

    private void push(double key) {
        if (heapSize == heap.length) { // grows by doubling, so a steady K allocates only while warming up
            heap = Arrays.copyOf(heap, Math.max(16, Math.min(MAX_TRACKED, heap.length * 2)));
        }
        int i = heapSize++;
        heap[i] = key;
        while (i > 0 && heap[(i - 1) >>> 1] > heap[i]) {
            int parent = (i - 1) >>> 1;
            swap(i, parent);
            i = parent;
        }
    }

    private void popMin() {
        heap[0] = heap[--heapSize];
        siftDown(0);
    }

    private void siftDown(int i) {
        while (true) {
            int smallest = i;
            int left = 2 * i + 1;
            int right = left + 1;
            if (left < heapSize && heap[left] < heap[smallest]) {
                smallest = left;
            }
            if (right < heapSize && heap[right] < heap[smallest]) {
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

    /**
     * Field {@code index} of a comma/blank separated line as a number (minus infinity if it is not one), or with
     * {@code index < 0} the first field that is a number.
     */
    static double numericField(CharSequence line, int index) {
        int n = line.length();
        int fieldNo = 0;
        int i = 0;
        while (i < n) {
            while (i < n && isSeparator(line.charAt(i))) {
                i++;
            }
            if (i == n) {
                break;
            }
            int start = i;
            while (i < n && !isSeparator(line.charAt(i))) {
                i++;
            }
            if (index < 0 || fieldNo == index) {
                double value = parse(line, start, i);
                if (!Double.isNaN(value) || index >= 0) {
                    return Double.isNaN(value) ? Double.NEGATIVE_INFINITY : value;
                }
            }
            fieldNo++;
        }
        return Double.NEGATIVE_INFINITY;
    }

    private static boolean isSeparator(char c) {
        return c == ',' || Character.isWhitespace(c);
    }

    private static double parse(CharSequence line, int start, int end) {
        char first = line.charAt(start);
        if (!(Character.isDigit(first) || first == '-' || first == '+' || first == '.')) {
            return Double.NaN; // cheap pre-check: most non-numeric fields never reach parseDouble
        }
        try {
            return Double.parseDouble(line.subSequence(start, end).toString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
