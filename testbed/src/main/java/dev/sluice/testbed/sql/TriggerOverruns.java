package dev.sluice.testbed.sql;

import java.util.List;

/** Batches whose duration exceeded a multiple of the trigger interval (they delayed the triggers after them). */
public final class TriggerOverruns {

    private TriggerOverruns() {
    }

    /** Batches that took longer than {@code multiple} × {@code triggerMs}. */
    public static int count(List<SqlBatch> batches, long triggerMs, double multiple) {
        int n = 0;
        for (SqlBatch b : batches) {
            if (b.durationMs() > multiple * triggerMs) {
                n++;
            }
        }
        return n;
    }
}
