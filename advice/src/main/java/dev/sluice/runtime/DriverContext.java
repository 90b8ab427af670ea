package dev.sluice.runtime;

import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.RateEstimator;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.scheduler.ReceiverTracker;

import java.util.concurrent.ConcurrentSkipListMap;
import java.util.Map;

/**
 * Sluice's driver side for one StreamingContext: feeds the estimator, remembers every stream's bound, and sends bounds
 * through Spark's own RPC ({@code ReceiverTracker.sendRateUpdate}). Because that RPC silently drops updates before the
 * tracker starts or before a receiver registers, every stream's current bound is re-sent on each batch event and when a
 * receiver (re)starts. Called from the listener-bus thread only.
 */
final class DriverContext implements BoundSink {

    private final StreamingContext context;
    private final RateEstimator estimator;
    private final long batchIntervalMs;
    private final Map<Integer, DriverStream> streams = new ConcurrentSkipListMap<Integer, DriverStream>();
    private final BatchLog batchLog;
    private final UnenforcedBoundWatch unenforced = new UnenforcedBoundWatch();

    DriverContext(StreamingContext context, RateEstimator estimator, long batchIntervalMs, int[] streamIds,
                  BatchLog batchLog) {
        this.context = context;
        this.estimator = estimator;
        this.batchIntervalMs = batchIntervalMs;
        this.batchLog = batchLog;
        for (int id : streamIds) {
            register(new DriverStream(id));
        }
    }

    long batchIntervalMs() {
        return batchIntervalMs;
    }

    Iterable<DriverStream> streams() {
        return streams.values();
    }

    int[] streamIds() {
        int[] ids = new int[streams.size()];
        int i = 0;
        for (Integer id : streams.keySet()) {
            ids[i++] = id;
        }
        return ids;
    }

    void batchSubmitted(BatchSample sample) {
        String unenforcedWarning = unenforced.submitted(sample, streams.values());
        if (unenforcedWarning != null) {
            SluiceLog.warn(unenforcedWarning + DriverWarnings.executorAgentHint(context.conf()));
        }
        if (estimator != null) {
            estimator.onBatchSubmitted(sample, this);
        }
        resendAll();
    }

    void batchCompleted(BatchSample sample) {
        for (DriverStream s : streams.values()) {
            s.completed(sample.recordsOf(s.streamId()), sample.processingDelayMs(), sample.schedulingDelayMs());
        }
        if (estimator != null) {
            estimator.onBatchCompleted(sample, this);
        }
        if (batchLog != null) {
            batchLog.completed(sample, streams.values());
        }
        resendAll();
    }

    void receiverStarted(int streamId) {
        if (estimator != null) {
            estimator.onReceiverStarted(streamId, this);
        }
        resendAll();
    }

    /** The estimator's (or the initial) bound for a stream: remembered and sent. */
    @Override
    public void publish(int streamId, long recordsPerSecond) {
        if (recordsPerSecond <= 0) {
            return; // Spark's RateLimiter ignores non-positive rates; so do we
        }
        DriverStream s = streams.get(streamId);
        if (s == null) {
            s = register(new DriverStream(streamId));
        }
        s.published(recordsPerSecond);
        send(streamId, recordsPerSecond);
    }

    private DriverStream register(DriverStream stream) {
        streams.put(stream.streamId(), stream);
        DriverStreams.add(stream);
        return stream;
    }

    void resendAll() {
        for (DriverStream s : streams.values()) {
            if (s.bound() > 0) {
                send(s.streamId(), s.bound());
            }
        }
    }

    private void send(int streamId, long bound) {
        ReceiverTracker tracker = context.scheduler().receiverTracker();
        if (tracker != null) {
            tracker.sendRateUpdate(streamId, bound);
        }
    }

    DriverStream stream(int streamId) {
        return streams.get(streamId);
    }
}
