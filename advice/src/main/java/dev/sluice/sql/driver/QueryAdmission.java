package dev.sluice.sql.driver;

import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.RateEstimator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One query run's admission: its governed sources (by identity: two sources may describe themselves alike), the
 * estimator fed from each completed micro-batch, and the row limit each source gets at the next trigger. No Spark type
 * and no clock of its own: times come from the progress Spark reports, so tests drive it with plain numbers.
 *
 * <p>A micro-batch maps onto the estimator's batch model as: batch time = submission = processing start = the trigger's
 * start (progress {@code timestamp}), processing end = start + {@code batchDuration}. A batch that overruns the interval
 * delays the next trigger; the estimator sees that as delay beyond the next submission and cuts the bound to drain it.
 * Calls come from the query's one stream thread.
 */
public final class QueryAdmission {

    private final String label;
    private final long intervalMs;
    private final double safeStartRate;
    private final RateEstimator estimator;
    private final Consumer<String> lines;
    private final Map<Object, Integer> ids = new IdentityHashMap<Object, Integer>();
    private final List<String> descriptions = new ArrayList<String>();
    private final Map<Integer, Long> bounds = new HashMap<Integer, Long>();
    private final Map<Integer, Long> lastLimits = new HashMap<Integer, Long>();
    /** The file sources' row-to-file conversion, by source id. */
    private final Map<Integer, FileLimit> fileLimits = new HashMap<Integer, FileLimit>();
    private final Map<Object, Boolean> leftAlone = new IdentityHashMap<Object, Boolean>();
    private long lastFedBatchId = -1;

    public QueryAdmission(String label, long intervalMs, double safeStartRate, RateEstimator estimator,
                          Consumer<String> lines) {
        this.label = label;
        this.intervalMs = intervalMs;
        this.safeStartRate = safeStartRate;
        this.estimator = estimator;
        this.lines = lines;
    }

    public String label() {
        return label;
    }

    public long intervalMs() {
        return intervalMs;
    }

    /**
     * The previous micro-batch's progress, fed once per batch id (the engine reports progress for no-data triggers
     * too, under the batch id still to come; those repeat an id and teach nothing).
     *
     * @param descriptions each progress source's description ({@code SourceProgress.description}, the source's
     *                     {@code toString})
     * @param rows         each progress source's {@code numInputRows}
     */
    public void completed(long batchId, long startMs, long durationMs, String[] descriptions, long[] rows) {
        if (batchId <= lastFedBatchId || durationMs < 0 || ids.isEmpty()) {
            return;
        }
        lastFedBatchId = batchId;
        int n = this.descriptions.size();
        int[] streamIds = new int[n];
        long[] records = new long[n];
        for (int id = 0; id < n; id++) {
            streamIds[id] = id;
            for (int i = 0; i < descriptions.length; i++) {
                if (this.descriptions.get(id).equals(descriptions[i])) {
                    records[id] += rows[i];
                }
            }
        }
        BoundSink sink = new BoundSink() {
            @Override
            public void publish(int streamId, long recordsPerSecond) {
                bounds.put(streamId, recordsPerSecond);
            }
        };
        for (Map.Entry<Integer, FileLimit> files : fileLimits.entrySet()) {
            files.getValue().completed(records[files.getKey()]);
        }
        estimator.onBatchSubmitted(new BatchSample(startMs, intervalMs, startMs, -1, -1, streamIds, records), sink);
        estimator.onBatchCompleted(new BatchSample(startMs, intervalMs, startMs, startMs, startMs + durationMs,
                streamIds, records), sink);
    }

    /**
     * The row limit for {@code source}'s next batch, or -1 when the source is left alone.
     *
     * @param userCap the user's {@code maxOffsetsPerTrigger}, or {@link RowLimit#NO_CAP}
     */
    public long maxRows(Object source, String description, long userCap) {
        if (leftAlone.containsKey(source)) {
            return -1;
        }
        int id = idOf(source, description);
        Long bound = bounds.get(id);
        long rows = RowLimit.rows(bound == null ? Double.NaN : bound, safeStartRate, intervalMs, userCap);
        Long last = lastLimits.put(id, rows);
        if (last == null) {
            lines.accept("query " + label + ", source " + description + ": first batch bounded at " + rows
                    + " rows (safe start " + (long) safeStartRate + " rows/s x " + intervalMs + " ms trigger"
                    + (userCap == RowLimit.NO_CAP ? "" : ", user cap " + userCap) + "); later limits from feedback");
        } else if (Math.abs(rows - last) > 0.1 * last) {
            lines.accept("query " + label + ", source " + description + ": limit " + rows
                    + " rows per trigger (bound " + bound + " rows/s" + (userCap == RowLimit.NO_CAP ? ""
                    : ", user cap " + userCap) + ")");
        }
        return rows;
    }

    /**
     * The file limit for a file source's next batch ({@link FileLimit}: the source's row limit over the rows per file
     * its batches showed; one file before any), or -1 when the source is left alone.
     *
     * @param userCap the user's {@code maxFilesPerTrigger}, or {@link FileLimit#NO_CAP}
     */
    public int maxFiles(Object source, String description, int userCap) {
        if (leftAlone.containsKey(source)) {
            return -1;
        }
        int id = idOf(source, description);
        FileLimit files = fileLimits.get(id);
        if (files == null) {
            files = new FileLimit();
            fileLimits.put(id, files);
        }
        Long bound = bounds.get(id);
        long rows = RowLimit.rows(bound == null ? Double.NaN : bound, safeStartRate, intervalMs, RowLimit.NO_CAP);
        int limit = files.next(rows, userCap);
        String cap = userCap == FileLimit.NO_CAP ? "" : ", user cap " + userCap + " files";
        Long last = lastLimits.put(id, (long) limit);
        if (last == null) {
            lines.accept("query " + label + ", source " + description + ": first batch bounded at " + limit
                    + " file (safe start: rows per file unknown" + cap + "); later limits from feedback");
        } else if (Math.abs(limit - last) > 0.1 * last) {
            lines.accept("query " + label + ", source " + description + ": limit " + limit + " files per trigger ("
                    + rows + " rows at " + Math.round(files.rowsPerFile()) + " rows per file; bound " + bound
                    + " rows/s" + cap + ")");
        }
        return limit;
    }

    /** Marks {@code source} as left alone for this run; true the first time (say it once). */
    public boolean leaveAlone(Object source) {
        return leftAlone.put(source, Boolean.TRUE) == null;
    }

    private int idOf(Object source, String description) {
        Integer id = ids.get(source);
        if (id == null) {
            id = descriptions.size();
            ids.put(source, id);
            descriptions.add(description);
        }
        return id;
    }
}
