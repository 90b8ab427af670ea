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
 * batch of every query run, a restart included; nothing to tune). From there the limit at most doubles the largest
 * batch read so far: a cost line fitted to one-file batches is all fixed overhead and would be extrapolated far beyond
 * what any batch showed (on the real-Spark smoke test, a restart went from 10 files to 50, which took 4.7 s of a 2 s
 * trigger). The user's {@code maxFilesPerTrigger} stays the ceiling. One instance per source and query run, called from the query's stream thread.
 */
public final class FileLimit {

    /** No user cap: the source had "all available". */
    public static final int NO_CAP = Integer.MAX_VALUE;
    /** Files in the first batch of a query run: nothing is known about them yet. */
    public static final int SAFE_START_FILES = 1;

    private double rowsPerFile = Double.NaN;
    private long largestBatchRows;
    private int lastLimit = -1;

    /**
     * The batch planned under the last limit completed having read {@code rows} from this source (0: it read nothing,
     * which says nothing about the files).
     */
    public void completed(long rows) {
        if (lastLimit > 0 && rows > 0) {
            double ratio = (double) rows / lastLimit;
            rowsPerFile = Double.isNaN(rowsPerFile) ? ratio : Math.max(rowsPerFile, ratio);
            largestBatchRows = Math.max(largestBatchRows, rows);
        }
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
            double rows = Math.min((double) rowLimit, 2.0 * largestBatchRows);
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
}
