package dev.sluice.rate;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Batches submitted and not yet completed, in batch-time order (Spark runs them one at a time, FIFO), and how much
 * processing time they still need according to a {@link BatchCostModel}.
 */
final class PendingBatches {
    private final TreeMap<Long, Long> recordsByBatchTime = new TreeMap<>();
    private final TreeMap<Long, Long> submissionByBatchTime = new TreeMap<>();
    private long lastCompletionMs = -1;

    void submitted(long batchTimeMs, long submissionMs, long records) {
        recordsByBatchTime.put(batchTimeMs, records);
        submissionByBatchTime.put(batchTimeMs, submissionMs);
    }

    /** Removes this batch and any older one (an older batch whose completion event was lost has finished too). */
    void completed(long batchTimeMs, long processingEndMs) {
        recordsByBatchTime.headMap(batchTimeMs, true).clear();
        submissionByBatchTime.headMap(batchTimeMs, true).clear();
        lastCompletionMs = Math.max(lastCompletionMs, processingEndMs);
    }

    boolean isEmpty() {
        return recordsByBatchTime.isEmpty();
    }

    int size() {
        return recordsByBatchTime.size();
    }

    /** True when a batch older than {@code batchTimeMs} with records has not completed. */
    boolean hasOlderNonEmptyThan(long batchTimeMs) {
        for (Map.Entry<Long, Long> e : recordsByBatchTime.headMap(batchTimeMs, false).entrySet()) {
            if (e.getValue() > 0) {
                return true;
            }
        }
        return false;
    }

    long totalRecords() {
        long sum = 0;
        for (long r : recordsByBatchTime.values()) {
            sum += r;
        }
        return sum;
    }

    /** Records of the batch being processed now (the oldest pending), 0 if none. */
    long headRecords() {
        return recordsByBatchTime.isEmpty() ? 0 : recordsByBatchTime.firstEntry().getValue();
    }

    /** How long the oldest pending batch has been running at {@code nowMs} (it started when its predecessor ended). */
    double headElapsedMs(long nowMs) {
        if (recordsByBatchTime.isEmpty()) {
            return 0;
        }
        long submitted = submissionByBatchTime.firstEntry().getValue();
        long started = Math.max(submitted, lastCompletionMs);
        return Math.max(0, nowMs - started);
    }

    /**
     * Processing time still needed by all pending batches at {@code nowMs}. The running batch needs its prediction minus
     * what it already ran; if it already overran its prediction, it is assumed to need as much again as its overrun
     * (it is slower than the model, and not done).
     */
    double remainingWorkMs(long nowMs, BatchCostModel model) {
        double work = 0;
        boolean head = true;
        for (Iterator<Long> it = recordsByBatchTime.values().iterator(); it.hasNext(); ) {
            double predicted = model.predictMs(it.next());
            if (head) {
                double elapsed = headElapsedMs(nowMs);
                work += elapsed <= predicted ? predicted - elapsed : elapsed - predicted;
                head = false;
            } else {
                work += predicted;
            }
        }
        return work;
    }
}
