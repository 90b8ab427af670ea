package dev.sluice.testbed.sql;

import java.util.List;

/**
 * When the backlog itself was read: from the start of batch 0 to the end of the batch with which the rows read
 * reached the backlog (the rows written before the query started; both sources hand rows out in arrival order).
 * Unlike the drain ({@link CatchUp}) it ignores what arrived meanwhile.
 *
 * @param batchIndex that batch's index in the run's batches, -1 if the run never read the whole backlog
 * @param ms         its end minus batch 0's start; the whole run when never reached
 */
public record BacklogRead(int batchIndex, long ms) {

    public static BacklogRead of(List<SqlBatch> batches, long backlogRows) {
        if (batches.isEmpty()) {
            return new BacklogRead(-1, 0);
        }
        long start = batches.get(0).startMs();
        long read = 0;
        for (int i = 0; i < batches.size(); i++) {
            read += batches.get(i).rows();
            if (read >= backlogRows) {
                return new BacklogRead(i, batches.get(i).endMs() - start);
            }
        }
        return new BacklogRead(-1, batches.get(batches.size() - 1).endMs() - start);
    }

    public boolean reached() {
        return batchIndex >= 0;
    }
}
