package dev.sluice.sql.driver;

/**
 * The files one trigger may admit from one file source ({@code FileStreamSource}, whose limit kind is
 * {@code ReadLimit.maxFiles}): the row limit the estimator gives for the source, over the rows a file holds. Progress
 * reports rows per source, not files, so the rows per file come from the batches themselves: a batch read {@code rows}
 * with {@code limit} files allowed, so a file holds at least {@code rows / limit} rows (equal when the batch was full,
 * more when fewer files were waiting). The largest such ratio of the query run is kept: an idle stretch, whose batches
 * hold few files, cannot shrink it and let the next burst in at once.
 *
 * <p><b>Safe start:</b> until a batch has been read, the rows per file are unknown and the limit is one file (the first
 * batch of every query run, a restart included; nothing to tune).
 *
 * <p><b>Growth, from what batches showed.</b> With batch time affine in rows (a fixed cost F &ge; 0 plus a cost per
 * row), k times the rows of a batch that took d ms take at most k·d ms. So a batch of r rows that took d proves that
 * {@code r × T/d} rows fit the target T. Three rules rest on that:
 * <ul>
 * <li><em>Ceiling.</em> The limit never exceeds, over the run's batches, the largest {@code r × clamp(T/d, 2, 4)}: a
 * fast batch may grow up to fourfold, still inside T; any batch may double, which keeps a batch that fitted T within 2
 * triggers. A cost line fitted to one-file batches is all fixed overhead and would be extrapolated far beyond what any
 * batch showed (on the real-Spark smoke test, a restart once went from 10 files to 50, which took 4.7 s of a 2 s
 * trigger); the ceiling stops that.</li>
 * <li><em>Ramp.</em> After a batch that took less than half of T, the next batch may hold {@code r × min(4, T/d)}
 * even where the estimator offers less: the estimator grows at most twofold per batch from what it has seen, and a
 * cold first batch makes its cost line pessimistic for several more, while this bound is proven by the batch itself.
 * Up to twofold, the estimator's own probe already does the same, so batches near the target stay the estimator's.</li>
 * <li><em>Warm restart.</em> A query restarted from its checkpoint first re-runs the batch the previous run planned and
 * did not commit (its range is in the offset log; the source is not asked). That batch ran here, on this cluster, so
 * its rows and duration are evidence of the same kind: {@code R × min(4, T/D)} rows fit. Its file count is not in the
 * progress, so the first batch of the run is still one file (the rows per file come from it), and the second may
 * hold what the replay proved. Without the replay the ramp starts again from one file.</li>
 * </ul>
 * The user's {@code maxFilesPerTrigger} stays the ceiling, and the per-query rows ceiling bounds the rows a file limit
 * stands for. One instance per source and query run, called from the query's stream thread.
 */
public final class FileLimit {

    /** No user cap: the source had "all available". */
    public static final int NO_CAP = Integer.MAX_VALUE;
    /** Files in the first batch of a query run: nothing is known about them yet. */
    public static final int SAFE_START_FILES = 1;
    /** The most a batch may grow over one that ran: beyond it, time in rows is trusted to be affine no further. */
    static final double MAX_GROWTH = 4.0;
    /** The growth any batch allows, however long it took (the estimator brings overruns down). */
    static final double MIN_GROWTH = 2.0;

    private final double targetMs;
    private final long maxRows;
    private double rowsPerFile = Double.NaN;
    /** The run's largest {@code rows × clamp(T/d, 2, 4)}: no limit goes beyond it. */
    private double ceilingRows;
    /** What the latest batch proved when it took under half the target (else 0): a floor under the estimator. */
    private double rampRows;
    /** What a replayed batch proved, until the run's first batch with rows has given the rows per file. */
    private double replayRows;
    private int lastLimit = -1;

    /**
     * @param targetMs the batch duration aimed at (the estimator's batch interval)
     * @param maxRows  the per-query rows ceiling ({@code sluice.query.<name>.maxRowsPerTrigger}), or
     *                 {@link RowLimit#NO_CAP}
     */
    public FileLimit(long targetMs, long maxRows) {
        this.targetMs = Math.max(1, targetMs);
        this.maxRows = Math.max(1, maxRows);
    }

    /**
     * The batch planned under the last limit completed having read {@code rows} from this source in
     * {@code durationMs} (0 rows: it read nothing, which says nothing about the files).
     */
    public void completed(long rows, long durationMs) {
        if (lastLimit <= 0) {
            return;
        }
        if (rows <= 0) {
            rampRows = 0;
            return;
        }
        double ratio = (double) rows / lastLimit;
        rowsPerFile = Double.isNaN(rowsPerFile) ? ratio : Math.max(rowsPerFile, ratio);
        double fits = fitsTarget(durationMs);
        ceilingRows = Math.max(ceilingRows, rows * Math.max(MIN_GROWTH, fits));
        rampRows = fits > MIN_GROWTH ? rows * fits : 0;
        rampRows = Math.max(rampRows, replayRows);
        replayRows = 0;
    }

    /**
     * The run began by replaying a batch the previous run had planned: it read {@code rows} from this source in
     * {@code durationMs}. Used once, for the run's second batch (the first is one file, to learn the rows per file).
     *
     * @return the rows the replay proved fit the target (0: not used, the run has read a batch already)
     */
    public double replayed(long rows, long durationMs) {
        if (rows <= 0 || durationMs <= 0 || !Double.isNaN(rowsPerFile)) {
            return 0;
        }
        replayRows = rows * fitsTarget(durationMs);
        ceilingRows = Math.max(ceilingRows, replayRows);
        return replayRows;
    }

    /** min(4, T/d): how many times a batch of {@code durationMs} may grow and still fit the target. */
    private double fitsTarget(long durationMs) {
        return durationMs <= 0 ? MAX_GROWTH : Math.min(MAX_GROWTH, targetMs / durationMs);
    }

    /**
     * The next trigger's file limit.
     *
     * @param rowLimit the rows the estimator allows this source for one trigger ({@link RowLimit#rows})
     * @param userCap  the user's {@code maxFilesPerTrigger}, or {@link #NO_CAP}
     */
    public int next(long rowLimit, int userCap) {
        long files;
        if (Double.isNaN(rowsPerFile)) {
            files = SAFE_START_FILES;
        } else {
            double rows = Math.min(Math.min(Math.max((double) rowLimit, rampRows), ceilingRows), maxRows);
            files = Math.max(1L, (long) Math.floor(rows / rowsPerFile));
        }
        int limit = (int) Math.min(files, Math.max(1, userCap));
        lastLimit = limit;
        return limit;
    }

    /** Rows per file learnt so far; NaN before the first batch read anything. */
    public double rowsPerFile() {
        return rowsPerFile;
    }

    /** The rows the latest evidence proved fit the target beyond the estimator (0: none), for the log. */
    double rampRows() {
        return rampRows;
    }
}
