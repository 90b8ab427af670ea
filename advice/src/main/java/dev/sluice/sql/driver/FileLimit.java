package dev.sluice.sql.driver;

/**
 * What one trigger may admit from one file source ({@code FileStreamSource}), in the unit of the limit the source
 * already uses: files ({@code ReadLimit.maxFiles}) or bytes ({@code ReadLimit.maxBytes}, Spark 4.0+). The row limit the
 * estimator gives for the source is divided by the rows a unit holds. Progress reports rows per source, not files or
 * bytes, so the rows per unit come from the batches themselves: a batch read {@code rows} from what it admitted. The
 * largest such ratio of the query run is kept: an idle stretch, whose batches hold little, cannot shrink it and let the
 * next burst in at once. What a batch admitted is known two ways ({@link Unit}):
 * <ul>
 * <li><em>Files:</em> the source takes at most the limit, so {@code rows / limit} is a lower bound on the rows per file
 * (equal when the batch was full, and the run's largest ratio is kept because of that).</li>
 * <li><em>Bytes:</em> the source always takes its first file whatever the limit and fewer bytes than the limit when
 * fewer are waiting, so the limit bounds nothing; the bytes it did take are reported by the source
 * ({@link #taken}), and {@code rows / taken} is exact. A batch whose bytes were not reported teaches no ratio
 * (dividing by the limit would pin the limit at one file after a first file larger than it, and let a burst in after
 * a short batch).</li>
 * </ul>
 *
 * <p><b>Safe start:</b> until a batch has been read, the rows per unit are unknown and the limit is one unit: one file,
 * or one byte, which the bytes rule turns into exactly the first file (the first batch of every query run, a restart
 * included; nothing to tune).
 *
 * <p><b>Growth, from what batches showed.</b> With batch time affine in rows (a fixed cost F &ge; 0 plus a cost per
 * row), k times the rows of a batch that took d ms take at most k·d ms. So a batch of r rows that took d proves that
 * {@code r × T/d} rows fit the target T. Three rules rest on that, the same in either unit (they are in rows):
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
 * its rows and duration are evidence of the same kind: {@code R × min(4, T/D)} rows fit. What it admitted is not in
 * the progress, so the first batch of the run is still one unit (the rows per unit come from it), and the second may
 * hold what the replay proved. Without the replay the ramp starts again from one unit.</li>
 * </ul>
 * The user's {@code maxFilesPerTrigger} or {@code maxBytesPerTrigger} stays the ceiling, and the per-query rows ceiling
 * bounds the rows a limit stands for. One instance per source and query run, called from the query's stream thread.
 */
public final class FileLimit {

    /** No user cap: the source had "all available" (files; a bytes limit is never "all available"). */
    public static final int NO_CAP = Integer.MAX_VALUE;
    /** Units in the first batch of a query run (one file; one byte, which admits exactly the first file). */
    public static final int SAFE_START = 1;

    /** The kind of limit the source uses, and what a batch's admission is known from. */
    public enum Unit {
        /** {@code maxFiles}: the source takes at most the limit, so the limit bounds what a batch admitted. */
        FILES("files", true),
        /** {@code maxBytes}: the first file is taken whatever the limit; what was admitted must be reported. */
        BYTES("bytes", false);

        /** As log lines and meters name the unit. */
        public final String label;
        /** The limit is an upper bound on what the batch admitted (so it may stand in for an unreported count). */
        final boolean limitBoundsAdmission;

        Unit(String label, boolean limitBoundsAdmission) {
            this.label = label;
            this.limitBoundsAdmission = limitBoundsAdmission;
        }
    }
    /** The most a batch may grow over one that ran: beyond it, time in rows is trusted to be affine no further. */
    static final double MAX_GROWTH = 4.0;
    /** The growth any batch allows, however long it took (the estimator brings overruns down). */
    static final double MIN_GROWTH = 2.0;

    private final double targetMs;
    private final long maxRows;
    private final Unit unit;
    private double rowsPerUnit = Double.NaN;
    /** The run's largest {@code rows × clamp(T/d, 2, 4)}: no limit goes beyond it. */
    private double ceilingRows;
    /** What the latest batch proved when it took under half the target (else 0): a floor under the estimator. */
    private double rampRows;
    /** What a replayed batch proved, until the run's first batch with rows has given the rows per file. */
    private double replayRows;
    private long lastLimit = -1;
    /** What the source reported it admitted under the last limit (-1: not reported). */
    private long lastTaken = -1;

    /**
     * @param targetMs the batch duration aimed at (the estimator's batch interval)
     * @param maxRows  the per-query rows ceiling ({@code sluice.query.<name>.maxRowsPerTrigger}), or
     *                 {@link RowLimit#NO_CAP}
     */
    public FileLimit(long targetMs, long maxRows) {
        this(targetMs, maxRows, Unit.FILES);
    }

    /** @param unit the kind of limit the source already uses */
    public FileLimit(long targetMs, long maxRows, Unit unit) {
        this.targetMs = Math.max(1, targetMs);
        this.maxRows = Math.max(1, maxRows);
        this.unit = unit;
    }

    public Unit unit() {
        return unit;
    }

    /**
     * The source admitted {@code units} under the limit just given (bytes: what {@code takeFilesUntilMax} selected);
     * the batch it plans is the next one {@link #completed}. Reported again for the same limit (a planning that found
     * nothing new), the latest report counts.
     */
    public void taken(long units) {
        lastTaken = units;
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
        long admitted = lastTaken > 0 ? lastTaken : unit.limitBoundsAdmission ? lastLimit : -1;
        if (admitted > 0) {
            double ratio = (double) rows / admitted;
            rowsPerUnit = Double.isNaN(rowsPerUnit) ? ratio : Math.max(rowsPerUnit, ratio);
        }
        double fits = fitsTarget(durationMs);
        ceilingRows = Math.max(ceilingRows, rows * Math.max(MIN_GROWTH, fits));
        rampRows = fits > MIN_GROWTH ? rows * fits : 0;
        rampRows = Math.max(rampRows, replayRows);
        replayRows = 0;
    }

    /**
     * The run began by replaying a batch the previous run had planned: it read {@code rows} from this source in
     * {@code durationMs}. Used once, for the run's second batch (the first is one unit, to learn the rows per unit).
     *
     * @return the rows the replay proved fit the target (0: not used, the run has read a batch already)
     */
    public double replayed(long rows, long durationMs) {
        if (rows <= 0 || durationMs <= 0 || !Double.isNaN(rowsPerUnit)) {
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
     * The next trigger's file limit ({@link Unit#FILES}).
     *
     * @param rowLimit the rows the estimator allows this source for one trigger ({@link RowLimit#rows})
     * @param userCap  the user's {@code maxFilesPerTrigger}, or {@link #NO_CAP}
     */
    public int next(long rowLimit, int userCap) {
        return (int) nextUnits(rowLimit, userCap);
    }

    /**
     * The next trigger's limit in this source's unit: the row limit over the rows per unit, at least one unit, at most
     * the user's cap.
     *
     * @param rowLimit the rows the estimator allows this source for one trigger ({@link RowLimit#rows})
     * @param userCap  the user's {@code maxFilesPerTrigger} or {@code maxBytesPerTrigger}, or {@link #NO_CAP}
     */
    public long nextUnits(long rowLimit, long userCap) {
        double units;
        if (Double.isNaN(rowsPerUnit)) {
            units = SAFE_START;
        } else {
            double rows = Math.min(Math.min(Math.max((double) rowLimit, rampRows), ceilingRows), maxRows);
            units = Math.floor(rows / rowsPerUnit);
        }
        long limit = units >= userCap ? Math.max(1, userCap) : Math.max(1L, (long) units);
        lastLimit = limit;
        lastTaken = -1;
        return limit;
    }

    /** Rows per unit learnt so far; NaN before the first batch read anything. */
    public double rowsPerUnit() {
        return rowsPerUnit;
    }

    /** The rows the latest evidence proved fit the target beyond the estimator (0: none), for the log. */
    double rampRows() {
        return rampRows;
    }
}
