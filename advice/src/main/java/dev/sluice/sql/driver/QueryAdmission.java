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
 * start (progress {@code timestamp}), processing end = start + {@code batchDuration}, batch interval = the target
 * ({@link QueryOptions#targetMs}: the trigger interval × the target share, or the default trigger's target). A batch
 * that overruns the target looks to the estimator like delay beyond the next submission, and it cuts the bound to
 * drain it. Calls come from the query's one stream thread; {@link #status()} is what other threads may read.
 *
 * <p>A batch reported before any source asked for a limit was not planned by this run: it is a restart's replay of the
 * batch the previous run logged and did not commit. It is not fed to the estimator (Kafka's restart stays at its safe
 * start); its rows and duration go to the file sources' limits as evidence of what fits ({@link FileLimit}).
 */
public final class QueryAdmission {

    private final String label;
    private final String key;
    private final QueryOptions options;
    private final long targetMs;
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
    /** What each source shows (meters, summary line), by source id. */
    private final List<SourceShown> shown = new ArrayList<SourceShown>();
    private long lastFedBatchId = -1;
    private boolean lastFedHadRows;
    private long lastDurationMs = -1;
    /**
     * The progress of the batch that ran before this run planned anything: the replay of the batch the previous run
     * planned and did not commit (null when there was none). Its rows and duration warm up the file sources' ramp.
     */
    private ProgressSource[] replayed;
    private long replayedDurationMs;
    private volatile QueryStatus status;

    public QueryAdmission(String label, long intervalMs, double safeStartRate, RateEstimator estimator,
                          Consumer<String> lines) {
        this(label, label, QueryOptions.ofInterval(intervalMs), safeStartRate, estimator, lines);
    }

    /**
     * @param key       the query's name or id, as meter names carry it ({@link QueryStatus#keyOf})
     * @param options   the target batch duration (the estimator's batch interval) and the per-query ceiling
     * @param estimator an estimator whose batch interval is {@code options.targetMs}
     */
    public QueryAdmission(String label, String key, QueryOptions options, double safeStartRate,
                          RateEstimator estimator, Consumer<String> lines) {
        this.label = label;
        this.key = key;
        this.options = options;
        this.targetMs = options.targetMs;
        this.safeStartRate = safeStartRate;
        this.estimator = estimator;
        this.lines = lines;
        publish();
    }

    public String label() {
        return label;
    }

    public String key() {
        return key;
    }

    public QueryOptions options() {
        return options;
    }

    /** What the query shows now (the metrics thread reads it). */
    public QueryStatus status() {
        return status;
    }

    /** The target batch duration in ms: the estimator's batch interval. */
    public long targetMs() {
        return targetMs;
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
        ProgressSource[] sources = new ProgressSource[descriptions.length];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = new ProgressSource(descriptions[i], rows[i], null, null, null);
        }
        completed(batchId, startMs, durationMs, sources);
    }

    /** The previous micro-batch's progress, with each source's offsets (for admitted rows and backlog). */
    public void completed(long batchId, long startMs, long durationMs, ProgressSource[] progress) {
        long rowsInBatch = 0;
        for (ProgressSource p : progress) {
            rowsInBatch += Math.max(0, p.rows);
        }
        // A no-data trigger reports under the id of the batch still to come (at most every 10 s, Spark's
        // noDataProgressEventInterval); when that batch then runs with data, its report carries the same id and is the
        // one to learn from. Any other repeat is the same batch seen again.
        boolean dataAfterNoData = batchId == lastFedBatchId && !lastFedHadRows && rowsInBatch > 0;
        if (ids.isEmpty() && lastFedBatchId < 0 && replayed == null && rowsInBatch > 0 && durationMs > 0) {
            // No source asked for a limit yet, so this batch was not planned by this run: a restart's replay.
            replayed = progress.clone();
            replayedDurationMs = durationMs;
        }
        if ((batchId <= lastFedBatchId && !dataAfterNoData) || durationMs < 0 || ids.isEmpty()) {
            return;
        }
        lastFedBatchId = batchId;
        lastFedHadRows = rowsInBatch > 0;
        lastDurationMs = durationMs;
        int n = this.descriptions.size();
        int[] streamIds = new int[n];
        long[] records = new long[n];
        for (int id = 0; id < n; id++) {
            streamIds[id] = id;
            SourceShown source = shown.get(id);
            long admitted = 0;
            long backlog = 0;
            boolean matched = false;
            for (ProgressSource p : progress) {
                if (this.descriptions.get(id).equals(p.description)) {
                    records[id] += p.rows;
                    matched = true;
                    long between = source.kafka ? OffsetJson.rowsBetween(p.startOffset, p.endOffset) : -1;
                    admitted += between >= 0 ? between : p.rows;
                    long behind = source.kafka ? OffsetJson.rowsBetween(p.endOffset, p.latestOffset) : -1;
                    backlog = backlog < 0 || behind < 0 ? -1 : backlog + behind;
                }
            }
            if (matched) {
                // A file source's backlog is what it reported at planning (bytesTaken), not in the progress.
                source.batch(admitted, source.kafka ? backlog : source.backlog);
            }
        }
        BoundSink sink = new BoundSink() {
            @Override
            public void publish(int streamId, long recordsPerSecond) {
                bounds.put(streamId, recordsPerSecond);
            }

            @Override
            public boolean admitsContinuously(int streamId) {
                return false; // each trigger's range is planned once, from the latest bound
            }
        };
        for (Map.Entry<Integer, FileLimit> files : fileLimits.entrySet()) {
            files.getValue().completed(records[files.getKey()], durationMs);
        }
        estimator.onBatchSubmitted(new BatchSample(startMs, targetMs, startMs, -1, -1, streamIds, records), sink);
        estimator.onBatchCompleted(new BatchSample(startMs, targetMs, startMs, startMs, startMs + durationMs,
                streamIds, records), sink);
        publish();
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
        int id = idOf(source, description, true);
        Long bound = bounds.get(id);
        long rows = RowLimit.rows(bound == null ? Double.NaN : bound, safeStartRate, targetMs,
                Math.min(userCap, options.maxRowsPerTrigger));
        Long last = lastLimits.put(id, rows);
        shown.get(id).limit = rows;
        publish();
        if (last == null) {
            lines.accept("query " + label + ", source " + description + ": first batch bounded at " + rows
                    + " rows (safe start " + (long) safeStartRate + " rows/s x " + targetMs + " ms target; "
                    + options.describe() + (userCap == RowLimit.NO_CAP ? "" : ", user cap " + userCap)
                    + "); later limits from feedback");
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
        return (int) fileLimit(source, description, FileLimit.Unit.FILES, userCap);
    }

    /**
     * The bytes limit for a file source's next batch under the user's {@code maxBytesPerTrigger} ({@link FileLimit}
     * in bytes: the source's row limit over the rows per byte its batches showed, from the bytes the source reported
     * it took, {@link #bytesTaken}; one byte, which admits exactly the first file, before any), or -1 when the source
     * is left alone.
     *
     * @param userCap the user's {@code maxBytesPerTrigger}: the ceiling
     */
    public long maxBytes(Object source, String description, long userCap) {
        return fileLimit(source, description, FileLimit.Unit.BYTES, userCap);
    }

    /**
     * A file source under a bytes limit selected {@code admitted} bytes of files for the batch being planned, and left
     * {@code waiting} bytes of the files it listed for later (its backlog, as far as it listed).
     */
    public void bytesTaken(Object source, long admitted, long waiting) {
        Integer id = ids.get(source);
        FileLimit limit = id == null ? null : fileLimits.get(id);
        if (limit == null || limit.unit() != FileLimit.Unit.BYTES) {
            return; // not a source this run gave a bytes limit
        }
        limit.taken(admitted);
        shown.get(id).backlog = waiting;
        publish();
    }

    private long fileLimit(Object source, String description, FileLimit.Unit unit, long userCap) {
        if (leftAlone.containsKey(source)) {
            return -1;
        }
        int id = idOf(source, description, false);
        FileLimit files = fileLimits.get(id);
        String warm = "";
        if (files == null || files.unit() != unit) {
            files = new FileLimit(targetMs, options.maxRowsPerTrigger, unit);
            fileLimits.put(id, files);
            shown.get(id).unit = unit.label;
            long replayRows = replayedRows(description);
            if (replayRows > 0) {
                double proven = files.replayed(replayRows, replayedDurationMs);
                warm = "; the replayed batch read " + replayRows + " rows in " + replayedDurationMs
                        + " ms, so the next may hold up to " + Math.round(proven) + " rows";
            }
        }
        Long bound = bounds.get(id);
        long rows = RowLimit.rows(bound == null ? Double.NaN : bound, safeStartRate, targetMs,
                options.maxRowsPerTrigger);
        long limit = files.nextUnits(rows, userCap);
        String cap = userCap == FileLimit.NO_CAP ? "" : ", user cap " + userCap + " " + unit.label;
        Long last = lastLimits.put(id, limit);
        shown.get(id).limit = limit;
        publish();
        if (last == null) {
            lines.accept("query " + label + ", source " + description + ": first batch bounded at " + limit
                    + (unit == FileLimit.Unit.FILES ? " file (safe start: rows per file unknown; "
                    : " byte, which admits exactly the first file (safe start: rows per byte unknown; ")
                    + options.describe() + cap + "); later limits from feedback" + warm);
        } else if (Math.abs(limit - last) > 0.1 * last) {
            String waiting = shown.get(id).backlog < 0 ? "" : "; " + shown.get(id).backlog
                    + " bytes were waiting at the last planning";
            lines.accept("query " + label + ", source " + description + ": limit " + limit + " " + unit.label
                    + " per trigger (" + rows + " rows at " + perUnit(files.rowsPerUnit()) + " rows per "
                    + (unit == FileLimit.Unit.FILES ? "file" : "byte") + "; bound " + bound + " rows/s"
                    + (files.rampRows() > rows ? "; ramp: " + Math.round(files.rampRows())
                    + " rows, what a fast or replayed batch proved fits the target" : "") + cap + waiting + ")");
        }
        return limit;
    }

    /** Rows per unit for a log line: whole rows per file, a few significant digits per byte. */
    private static String perUnit(double rowsPerUnit) {
        return rowsPerUnit >= 10 ? String.valueOf(Math.round(rowsPerUnit)) : String.format("%.4g", rowsPerUnit);
    }

    /** The rows the replayed batch read from the source of this description (0: none, or no replay). */
    private long replayedRows(String description) {
        long rows = 0;
        if (replayed != null) {
            for (ProgressSource p : replayed) {
                if (description.equals(p.description)) {
                    rows += Math.max(0, p.rows);
                }
            }
        }
        return rows;
    }

    /** Marks {@code source} as left alone for this run; true the first time (say it once). */
    public boolean leaveAlone(Object source) {
        return leftAlone.put(source, Boolean.TRUE) == null;
    }

    private int idOf(Object source, String description, boolean kafka) {
        Integer id = ids.get(source);
        if (id == null) {
            id = descriptions.size();
            ids.put(source, id);
            descriptions.add(description);
            int ofKind = 0;
            for (SourceShown s : shown) {
                ofKind += s.kafka == kafka ? 1 : 0;
            }
            shown.add(new SourceShown((kafka ? "kafka" : "files") + ofKind, description, kafka));
        }
        return id;
    }

    private void publish() {
        List<QueryStatus.Source> sources = new ArrayList<QueryStatus.Source>(shown.size());
        for (SourceShown s : shown) {
            sources.add(new QueryStatus.Source(s.name, s.description, s.unit, s.limit,
                    s.lastBatchAdmitted, s.admitted, s.backlog));
        }
        status = new QueryStatus(key, label, options.triggerMs, options.targetMs, lastFedBatchId, lastDurationMs,
                sources);
    }

    /** One source as the previous progress showed it (offsets as the progress writes them; null when absent). */
    public static final class ProgressSource {
        final String description;
        final long rows;
        final String startOffset;
        final String endOffset;
        final String latestOffset;

        public ProgressSource(String description, long rows, String startOffset, String endOffset,
                              String latestOffset) {
            this.description = description;
            this.rows = rows;
            this.startOffset = startOffset;
            this.endOffset = endOffset;
            this.latestOffset = latestOffset;
        }
    }

    /** What one governed source shows; written by the stream thread, published through {@link QueryStatus}. */
    private static final class SourceShown {
        final String name;
        final String description;
        final boolean kafka;
        /** The unit of {@link #limit}: rows (Kafka), files or bytes (file sources, by the limit they use). */
        String unit;
        long limit = -1;
        long lastBatchAdmitted = -1;
        long admitted;
        long backlog = -1;

        SourceShown(String name, String description, boolean kafka) {
            this.name = name;
            this.description = description;
            this.kafka = kafka;
            this.unit = kafka ? "rows" : "files";
        }

        void batch(long rows, long behind) {
            lastBatchAdmitted = rows;
            admitted += rows;
            backlog = behind;
        }
    }
}
