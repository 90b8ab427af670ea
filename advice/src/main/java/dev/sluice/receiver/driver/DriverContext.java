package dev.sluice.receiver.driver;

import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.RateEstimator;
import dev.sluice.runtime.SluiceLog;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sluice's driver side for one StreamingContext: the input streams it governs (one {@link Governed} each: the metrics
 * view and the channel its bound travels on), the estimator fed from the context's batches, and the decision whether
 * Spark's own rate controller still publishes for a stream. Spark's rate-update RPC silently drops updates sent before
 * the tracker starts or before a receiver registers, so every stream's current bound is re-sent on each batch event and
 * when a receiver (re)starts. Batch events arrive on the listener-bus thread; {@link #overridesSparkPublication} is
 * called from Spark's rate-controller thread.
 */
final class DriverContext implements BoundSink {

    private final String name;
    private final RateEstimator estimator;
    private final long batchIntervalMs;
    private final boolean takesOverSparkController;
    private final BatchLog batchLog;
    private final Map<Integer, Governed> streams = new ConcurrentSkipListMap<Integer, Governed>();
    private volatile int[] streamIds = new int[0];
    private volatile boolean retired;
    private final UnenforcedBoundWatch unenforced = new UnenforcedBoundWatch();
    /** Appended to the unenforced-bound warning: what the executors' Java options say about the agent. */
    private volatile String executorAgentHint = "";

    /**
     * @param takesOverSparkController spark.streaming.backpressure.enabled=true: once Sluice has a bound for a stream,
     *                                 Spark's rate controller no longer publishes for it (the only takeover Sluice does)
     */
    DriverContext(String name, RateEstimator estimator, long batchIntervalMs, boolean takesOverSparkController,
                  BatchLog batchLog) {
        this.name = name;
        this.estimator = estimator;
        this.batchIntervalMs = batchIntervalMs;
        this.takesOverSparkController = takesOverSparkController;
        this.batchLog = batchLog;
    }

    void executorAgentHint(String hint) {
        executorAgentHint = hint == null ? "" : hint;
    }

    /** Sluice governs this input stream of the context: it gets a bound, sent over {@code channel}. */
    void govern(int streamId, RateUpdateChannel channel) {
        DriverStream view = new DriverStream(streamId);
        streams.put(streamId, new Governed(view, channel));
        int[] ids = new int[streams.size()];
        int i = 0;
        for (Integer id : streams.keySet()) {
            ids[i++] = id;
        }
        streamIds = ids;
        DriverStreams.add(view);
    }

    String name() {
        return name;
    }

    long batchIntervalMs() {
        return batchIntervalMs;
    }

    /** The governed input streams' ids, ascending. */
    int[] streamIds() {
        return streamIds;
    }

    DriverStream stream(int streamId) {
        Governed g = streams.get(streamId);
        return g == null ? null : g.view;
    }

    void batchSubmitted(BatchSample sample) {
        if (retired) {
            return;
        }
        String unenforcedWarning = unenforced.submitted(sample, views());
        if (unenforcedWarning != null) {
            SluiceLog.warn(unenforcedWarning + executorAgentHint);
        }
        if (estimator != null) {
            estimator.onBatchSubmitted(sample, this);
        }
        resendAll();
    }

    void batchCompleted(BatchSample sample) {
        if (retired) {
            return;
        }
        for (Governed g : streams.values()) {
            g.view.completed(sample.recordsOf(g.view.streamId()), sample.processingDelayMs(),
                    sample.schedulingDelayMs());
        }
        if (estimator != null) {
            estimator.onBatchCompleted(sample, this);
        }
        if (batchLog != null) {
            batchLog.completed(sample, views());
        }
        resendAll();
    }

    /**
     * At attach: every stream's start bound (the initial rate, or the slow start's). Receivers launched during
     * {@code StreamingContext.start()} may have registered before the listener was added, so their start event is
     * not seen; a receiver not registered yet gets the bound again from its start event and from every batch event.
     */
    void startBounds(double initialRate) {
        if (retired) {
            return;
        }
        for (int id : streamIds) {
            if (initialRate > 0) {
                publish(id, (long) initialRate);
            } else if (estimator != null) {
                estimator.onReceiverStarted(id, this);
            }
        }
    }

    void receiverStarted(int streamId) {
        if (retired || !streams.containsKey(streamId)) {
            return;
        }
        if (estimator != null) {
            estimator.onReceiverStarted(streamId, this);
        }
        resendAll();
    }

    /** The estimator's (or the initial) bound for a governed stream: remembered and sent. Others are ignored. */
    @Override
    public void publish(int streamId, long recordsPerSecond) {
        Governed g = streams.get(streamId);
        if (recordsPerSecond <= 0 || g == null || retired) {
            return; // Spark's RateLimiter ignores non-positive rates; so do we
        }
        g.view.published(recordsPerSecond);
        g.channel.send(streamId, recordsPerSecond);
    }

    /** A receiver admits all through the interval; a direct stream's batch is planned once, from the latest bound. */
    @Override
    public boolean admitsContinuously(int streamId) {
        Governed g = streams.get(streamId);
        return g == null || g.channel != PlannedAtBatchTime.INSTANCE;
    }

    void resendAll() {
        if (retired) {
            return;
        }
        for (Governed g : streams.values()) {
            long bound = g.view.bound();
            if (bound > 0) {
                g.channel.send(g.view.streamId(), bound);
            }
        }
    }

    /**
     * Spark's rate controller of {@code streamId} is about to publish: true when Sluice's bound is in force instead.
     * Only with Spark's back-pressure on, only for a stream Sluice governs, and only once Sluice has a bound of its own
     * for it; until then Spark's rate reaches the receiver as without Sluice.
     */
    boolean overridesSparkPublication(int streamId) {
        if (!takesOverSparkController || retired) {
            return false;
        }
        Governed g = streams.get(streamId);
        if (g == null || g.view.bound() <= 0) {
            return false;
        }
        if (g.takenOver.compareAndSet(false, true)) {
            SluiceLog.info(name + ", stream " + streamId + ": Sluice's bound (" + g.view.bound() + "/s) is in force; "
                    + "Spark's rate controller no longer publishes for this stream "
                    + "(spark.streaming.backpressure.enabled=true)");
        }
        return true;
    }

    /** The context stopped: nothing more is sent, and its streams leave the metrics. */
    void retire() {
        retired = true;
        for (Governed g : streams.values()) {
            DriverStreams.remove(g.view);
        }
    }

    boolean retired() {
        return retired;
    }

    private Iterable<DriverStream> views() {
        java.util.List<DriverStream> out = new java.util.ArrayList<DriverStream>(streams.size());
        for (Governed g : streams.values()) {
            out.add(g.view);
        }
        return out;
    }

    /** One input stream Sluice governs. */
    private static final class Governed {
        final DriverStream view;
        final RateUpdateChannel channel;
        final AtomicBoolean takenOver = new AtomicBoolean();

        Governed(DriverStream view, RateUpdateChannel channel) {
            this.view = view;
            this.channel = channel;
        }
    }
}
