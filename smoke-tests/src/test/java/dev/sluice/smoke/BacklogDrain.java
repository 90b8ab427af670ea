package dev.sluice.smoke;

import java.util.List;

import dev.sluice.smoke.FileStructuredRun.Batch;

/**
 * How fast a query drained the backlog it started behind: rows read per second of trigger time, from the start of a
 * query run's first batch to the end of the batch that took the backlog's last file, or of the run's last batch when
 * none did (the backlog lasted the whole run). Everything is counted: the safe start's small batches, batches that
 * overran and delayed the next trigger, the arrivals read along with the backlog. When the query was stopped and
 * started again, each query run counts from its own first batch (the replayed batch included) and the time between
 * the runs is not counted: a restart the test makes is not admission's doing, the new run's ramp is.
 *
 * @param rows    rows the counted batches read
 * @param ms      trigger time they spanned
 * @param batches how many batches were counted
 * @param reached whether the backlog's end was reached (else the figure is over the whole run)
 */
record BacklogDrain(long rows, long ms, int batches, boolean reached) {

    /**
     * @param runs          each query run's data batches, in order
     * @param endingBatchId the batch that took the backlog's last file, -1 if none did
     */
    static BacklogDrain of(List<List<Batch>> runs, long endingBatchId) {
        long rows = 0;
        long ms = 0;
        int counted = 0;
        for (List<Batch> run : runs) {
            if (run.isEmpty()) {
                continue;
            }
            Batch last = run.get(run.size() - 1);
            boolean ends = false;
            for (Batch b : run) {
                rows += b.rows();
                counted++;
                if (b.batchId() == endingBatchId) {
                    last = b;
                    ends = true;
                    break;
                }
            }
            ms += last.endMs() - run.get(0).startMs();
            if (ends) {
                return new BacklogDrain(rows, ms, counted, true);
            }
        }
        return new BacklogDrain(rows, ms, counted, false);
    }

    double rowsPerSecond() {
        return ms <= 0 ? 0 : rows * 1000.0 / ms;
    }

    @Override
    public String toString() {
        return String.format("%.0f rows/s (%d rows in %d batches over %.1f s of trigger time, %s)", rowsPerSecond(),
                rows, batches, ms / 1000.0, reached ? "to the batch that took the backlog's last file"
                        : "the whole run: the backlog's last file was never reached");
    }
}
