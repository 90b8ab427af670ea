package dev.sluice.examples.strategy;

import dev.sluice.strategy.Budget;
import dev.sluice.strategy.Chunk;
import dev.sluice.strategy.CongestionStrategy;
import dev.sluice.strategy.StrategyContext;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Worked example of a user strategy: under congestion, keep the records with the largest key. Two forms:
 *
 * <ul>
 * <li><b>Per block interval</b> (the default): keep the K records with the largest key per block interval, K being
 * what the budget allows per interval ({@link Budget#perInterval()}).</li>
 * <li><b>Sliding window</b> ({@code window}, e.g. {@code 5m}): keep a record only if it ranks among the K largest
 * seen over the last {@code window} (itself included), K = the {@code k} parameter (default: the budget's
 * per-interval allowance), and the budget has a permit. The window is tracked in {@code buckets} sub-windows
 * (default 10) and slides one at a time ({@link SlidingTopK}). Over a window this admits about K records (the ones
 * that beat what came before them), never more than the bound. Memory: {@code (buckets + 1) × K} doubles, K at most
 * {@value #MAX_TRACKED} (above it, first-come within the budget).</li>
 * </ul>
 *
 * Use it with {@code sluice.strategy=dev.sluice.examples.strategy.TopKStrategy} (or per stream), or declare it in a
 * receiver's code ({@code new TopKStrategy(300_000, 100)} from
 * {@link dev.sluice.strategy.DeclaresCongestionStrategy#congestionStrategyInstance()}). Override {@link #key(Object)}
 * to rank by something else.
 *
 * <p><b>Bulk stores</b> ({@code store(ArrayBuffer)}), per interval: exact. The chunk gets
 * {@code granted = tryAcquire(size)} permits and keeps the {@code granted} records with the largest keys (ties broken
 * by position), in their original order. In window mode, the records that rank among the window's K largest are the
 * candidates, and the largest candidates the budget grants are kept.
 *
 * <p><b>Single records</b> ({@code store(record)}, iterator elements), per interval: a record cannot wait for the rest
 * of its interval, so the decision uses an estimate. A record is admitted when its key is at least the
 * <em>threshold</em>, the K-th largest key seen in the previous block interval, and the budget has a permit. In a
 * stationary stream this keeps about the K largest per interval; when the key distribution shifts, the threshold
 * follows one interval later. In the first interval, after an interval with at most K records, or when K exceeds
 * {@value #MAX_TRACKED} (too many keys to track), the threshold is minus infinity and records are admitted first-come
 * within the budget. Only single records feed the threshold.
 *
 * <p>K follows the bound, which changes with every estimate: the ranking is kept and trimmed or extended, not
 * restarted.
 *
 * <p>Cost: while a bound is in force each record takes a short lock to update the top-K heaps (clarity over speed: a
 * production strategy could use a lock-free quantile sketch); the heaps grow by doubling up to K and are then reused.
 * Without a bound nothing is tracked and every record is admitted, so a window only starts filling once the stream is
 * congested. Bulk stores allocate two {@code double[size]} per congested chunk.
 *
 * <p>Parameters ({@code sluice.strategy.<name>} or {@code sluice.stream.<id>.strategy.<name>}): {@code field}, the
 * 0-based index of the field of a text record used as the key (default: the first numeric field); {@code window}, a
 * duration such as {@code 300s}, {@code 5m} or {@code 500ms} (a bare number means seconds; 0: per interval);
 * {@code k}; {@code buckets}.
 */
public class TopKStrategy implements CongestionStrategy {

    /** Largest K for which single records are ranked (the heap holds K doubles). */
    public static final int MAX_TRACKED = 1 << 16;

    static final int DEFAULT_BUCKETS = 10;
    private static final long DEFAULT_INTERVAL_NANOS = 200_000_000L;

    private final LongSupplier nanoTime;
    private volatile long intervalNanos = DEFAULT_INTERVAL_NANOS;
    private volatile int field = -1;
    private volatile long windowMillis;
    private volatile int fixedK;
    private volatile int buckets = DEFAULT_BUCKETS;

    /** K-th largest key of the previous interval; single records below it are discarded. */
    private volatile double threshold = Double.NEGATIVE_INFINITY;

    // Guarded by this: the current interval's K largest keys (interval mode), or the window (window mode).
    private final KeyHeap interval = new KeyHeap();
    private SlidingTopK window;
    private long lastWindowK;
    private long intervalEnd;
    private boolean started;

    public TopKStrategy() {
        this(System::nanoTime);
    }

    /**
     * The sliding-window form, for a receiver that declares its strategy in code: keep the {@code k} largest records
     * of the last {@code windowMillis}.
     */
    public TopKStrategy(long windowMillis, int k) {
        this(windowMillis, k, System::nanoTime);
    }

    /** For tests: a clock other than {@link System#nanoTime()}. */
    protected TopKStrategy(LongSupplier nanoTime) {
        this(0, 0, nanoTime);
    }

    /** For tests: the sliding-window form on another clock. */
    protected TopKStrategy(long windowMillis, int k, LongSupplier nanoTime) {
        if (windowMillis < 0 || k < 0) {
            throw new IllegalArgumentException("window " + windowMillis + " ms, k " + k + ": both must be >= 0");
        }
        this.nanoTime = nanoTime;
        this.windowMillis = windowMillis;
        this.fixedK = k;
    }

    @Override
    public void init(StrategyContext context) {
        intervalNanos = Math.max(1, context.blockIntervalMillis()) * 1_000_000L;
        // A bad value fails here, once: the gate then falls back to throttle and says why.
        String configured = context.parameter("field", "").trim();
        if (!configured.isEmpty()) {
            field = Integer.parseInt(configured);
        }
        String w = context.parameter("window", "").trim();
        if (!w.isEmpty()) {
            windowMillis = durationMillis(w);
        }
        fixedK = positiveInt(context.parameter("k", ""), "k", fixedK);
        buckets = positiveInt(context.parameter("buckets", ""), "buckets", buckets);
        synchronized (this) {
            window = windowMillis > 0 ? new SlidingTopK(windowMillis * 1_000_000L, buckets) : null;
        }
    }

    @Override
    public boolean admit(Object record, Budget budget) {
        long perInterval = budget.perInterval();
        if (perInterval == Long.MAX_VALUE) {
            return true; // no bound: nothing to rank
        }
        double key = rank(record);
        boolean ranked = windowMode() ? observeWindow(key, kFor(perInterval)) : observeInterval(key, perInterval);
        return ranked && budget.tryAcquire(1) == 1;
    }

    @Override
    public void admitBulk(Chunk chunk, Budget budget) {
        int size = chunk.size();
        if (windowMode()) {
            admitBulkInWindow(chunk, budget, size);
            return;
        }
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
        keepLargest(chunk, keys, granted);
    }

    private void admitBulkInWindow(Chunk chunk, Budget budget, int size) {
        long perInterval = budget.perInterval();
        if (perInterval == Long.MAX_VALUE) {
            chunk.keepAll();
            return;
        }
        long k = kFor(perInterval);
        double[] keys = new double[size];
        int candidates = 0;
        for (int i = 0; i < size; i++) {
            double key = rank(chunk.get(i));
            // Records outside the window's K largest are never kept: rank them below any candidate.
            keys[i] = observeWindow(key, k) ? key : Double.NaN;
            if (!Double.isNaN(keys[i])) {
                candidates++;
            }
        }
        int granted = candidates == 0 ? 0 : budget.tryAcquire(candidates);
        if (granted > 0) {
            keepLargest(chunk, keys, granted);
        }
    }

    /** Keeps the {@code granted} records with the largest keys (NaN: not eligible), ties to the earliest. */
    private static void keepLargest(Chunk chunk, double[] keys, int granted) {
        int eligible = 0;
        for (double key : keys) {
            if (!Double.isNaN(key)) {
                eligible++;
            }
        }
        double[] sorted = new double[eligible];
        int n = 0;
        for (double key : keys) {
            if (!Double.isNaN(key)) {
                sorted[n++] = key;
            }
        }
        Arrays.sort(sorted);
        int keep = Math.min(granted, eligible);
        if (keep == 0) {
            return;
        }
        double kth = sorted[eligible - keep]; // the keep-th largest key
        int above = 0;
        for (double key : sorted) {
            if (key > kth) {
                above++;
            }
        }
        int ties = keep - above; // records equal to kth that still fit: the earliest ones
        for (int i = 0; i < keys.length; i++) {
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

    /**
     * Per interval: the K-th largest key of the previous interval. In window mode: the K-th largest key of the window
     * as of the last record (minus infinity while the window holds fewer than K). For monitoring and tests.
     */
    public double threshold() {
        synchronized (this) {
            if (window != null) {
                return window.threshold(lastWindowK);
            }
        }
        return threshold;
    }

    /** The window length in milliseconds; 0 in the per-interval form. */
    public long windowMillis() {
        return windowMillis;
    }

    private boolean windowMode() {
        return windowMillis > 0;
    }

    private long kFor(long perInterval) {
        return fixedK > 0 ? fixedK : perInterval;
    }

    private double rank(Object record) {
        double key = key(record);
        return Double.isNaN(key) ? Double.NEGATIVE_INFINITY : key;
    }

    private synchronized boolean observeWindow(double key, long k) {
        if (window == null) { // constructed in code and used without init()
            window = new SlidingTopK(windowMillis * 1_000_000L, buckets);
        }
        lastWindowK = k;
        if (k > MAX_TRACKED) {
            return true; // too many keys to track: first-come within the budget
        }
        return window.offer(key, nanoTime.getAsLong(), k);
    }

    private synchronized boolean observeInterval(double key, long k) {
        long now = nanoTime.getAsLong();
        if (!started) {
            started = true;
            intervalEnd = now + intervalNanos;
        } else if (now >= intervalEnd) {
            boolean previousWasJustOne = now < intervalEnd + intervalNanos;
            threshold = previousWasJustOne && interval.size() >= k && interval.size() > 0 ? interval.min()
                    : Double.NEGATIVE_INFINITY;
            interval.clear();
            intervalEnd = now + intervalNanos - (now - intervalEnd) % intervalNanos;
        }
        if (k > MAX_TRACKED) {
            threshold = Double.NEGATIVE_INFINITY;
            return true;
        }
        interval.offer(key, k);
        return key >= threshold;
    }

    /** A duration such as 300s, 5m, 1h or 500ms; a bare number means seconds. */
    static long durationMillis(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        long unit = 1000;
        String digits = t;
        if (t.endsWith("ms")) {
            unit = 1;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = 3_600_000;
            digits = t.substring(0, t.length() - 1);
        }
        long value = Long.parseLong(digits.trim());
        if (value < 0) {
            throw new IllegalArgumentException("window '" + text + "' is negative");
        }
        return value * unit;
    }

    private static int positiveInt(String text, String name, int defaultValue) {
        String t = text.trim();
        if (t.isEmpty()) {
            return defaultValue;
        }
        int v = Integer.parseInt(t);
        if (v < 1) {
            throw new IllegalArgumentException(name + " '" + text + "' must be >= 1");
        }
        return v;
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
