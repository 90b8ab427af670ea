package dev.sluice.rate;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sluice's default estimator. Unlike Spark's PID it also acts when a batch is <em>submitted</em>, so it sees a backlog
 * seconds before any batch completes. B = batch interval, u = {@code targetUtilisation}, H = {@code drainHorizonMs}.
 *
 * <ol>
 * <li><b>Capacity</b> is a {@link BatchCostModel}: batch time = overhead + per-record cost × records, fitted to recent
 * completed batches, so small overhead-dominated batches teach the overhead instead of collapsing the capacity, and
 * empty batches teach nothing. A batch of usual size that is clearly slower is believed at once (cost spike) or, when
 * only moderately slower, once the next confirms it (one pause is not a new cost); a clearly faster one at once (spike
 * over).</li>
 * <li><b>Total bound</b>, recomputed at every submission and completion: the records a batch can hold so that it takes
 * u·B, minus a drain term for the scheduling delay the next batch would see (predicted work of all pending batches
 * beyond the next submission time, less {@code standingDelayMs}, 0 by default), cleared over H:
 * {@code records/batch = ((u·B − overhead) − delay·B/H) / perRecord}. A batch submitted while earlier ones still run
 * or wait therefore cuts the bound at once, in proportion to the backlog. While a stream is held, the total is at most
 * what one of the latest batches proved: its records × min({@code probeGain}, u·B ÷ its time)
 * ({@link ProvenThroughput}; a fitted line is not extrapolated beyond what ran).</li>
 * <li><b>First batches:</b> the initial rate, if configured, is in force until the first batch with records completes.
 * Otherwise a stream starts at minRate when its receiver starts ({@code slowStart}) and grows at most probeGain-fold
 * per batch (the ceiling in 2), so a cold job under overload never queues seconds of work before any evidence exists.
 * While every batch so far ran well under u·B without delay, receivers grow up to slowStartGain-fold and each
 * completion catches the rest of its interval up ({@link #startCatchUp}); the first batch near u·B ends that.
 * Without slow start (or for a receiver whose start was not seen) the first non-empty batch runs unbounded and measures; from its submission each stream is held at the rate
 * that batch showed ({@code holdFirstBatchRate}; it limits how much a receiver that started mid-interval can queue
 * before any evidence exists); and a batch submitted while an earlier non-empty one is pending (overload, capacity still
 * unknown) cuts every stream to minRate until the first completion gives a capacity.</li>
 * <li><b>Probe:</b> when a completed batch of P ms ran in under 90 % of u·B with no scheduling delay and nothing
 * queued, and a stream is held at its bound, the total is at least min({@code probeGain}, u·B / P) × what that batch
 * held, so a capacity increase (a JVM still compiling, a cost spike ending) is followed even while the cost model
 * lags it.</li>
 * <li><b>Several streams</b> share one capacity (one batch for all). The total is split max-min fairly (water-filling)
 * on the streams' demands: a stream that used at least 90 % of the bound in force during its latest batch is "held"
 * (demand unknown, unbounded); any other stream's demand is what it used. A quiet stream's unused share goes to the held
 * ones, and spare capacity is shared equally. While others are held, a quiet stream may still grow to
 * {@code quietStreamGrowth} × its use (at least a tenth of a held stream's share; during the receivers' slow start as
 * far as the start grows) before it contends: a bounded over-commitment that the backlog term corrects if all quiet
 * streams grow at once.</li>
 * <li><b>Receiver restart:</b> its current bound is published again at once (the executor lost it).</li>
 * </ol>
 * All bounds are clamped by {@link BoundClamp} (minRate, maxRate, whole records, at least 1). Every time it compares is
 * on the batch clock ({@link BatchSample#submittedOnBatchClock()}, {@link BatchSample#onBatchClock(long)}), so a
 * ManualClock in a user's test is no backlog.
 */
public final class AdaptiveRateEstimator implements RateEstimator {
    /** A stream using at least this share of its bound is held by it (would take more). */
    private static final double HELD_USAGE = 0.9;
    /** A quiet stream may always grow to this share of a held stream's allocation. */
    private static final double QUIET_FLOOR_SHARE = 0.1;
    /** "Well within the interval" for the probe, as a share of the targeted processing time. */
    private static final double UNDER_UTILISED = 0.9;

    private final EstimatorSettings settings;
    private final BoundClamp clamp;
    private final BatchCostModel model;
    private final PendingBatches pending = new PendingBatches();
    private final ProvenThroughput proven;
    private final Map<Integer, StreamState> streams = new TreeMap<>();
    private long lastBatchTimeMs = Long.MIN_VALUE;
    /** Total rate the latest under-utilised completion probes with (0 = none); in force while no delay is predicted. */
    private double probeFloor;
    /** Time of the latest batch event (a receiver start carries no time of its own). */
    private long lastEventMs;
    /** The slow start: no batch has yet come near the target or been late; growth may be slowStartGain. */
    private boolean starting;
    /** Every stream admits all through the interval (receivers), as the sink said at the latest batch event. */
    private boolean continuous = true;

    public AdaptiveRateEstimator(EstimatorSettings settings) {
        this.settings = settings;
        this.clamp = settings.clamp();
        this.model = new BatchCostModel(settings);
        this.proven = new ProvenThroughput(settings.costWindowBatches);
        this.starting = settings.slowStart && !settings.hasInitialRate();
    }

    @Override
    public void onBatchSubmitted(BatchSample batch, BoundSink sink) {
        long now = batch.submittedOnBatchClock();
        lastEventMs = now;
        for (int i = 0; i < batch.streamCount(); i++) {
            stream(batch.streamId(i));
        }
        continuous = allContinuous(sink);
        for (StreamState state : streams.values()) {
            state.lastRecords = batch.recordsOf(state.id); // a stream absent from the batch stored nothing
            double inForce = state.history.averageOver(batch.batchTimeMs - settings.batchIntervalMs, batch.batchTimeMs);
            state.held = state.lastRecords * 1000.0 / settings.batchIntervalMs >= HELD_USAGE * inForce;
        }
        pending.submitted(batch.batchTimeMs, now, batch.totalRecords());
        lastBatchTimeMs = Math.max(lastBatchTimeMs, batch.batchTimeMs);
        if (model.known()) {
            publish(totalRate(now), now, sink);
        } else if (pending.hasOlderNonEmptyThan(batch.batchTimeMs)) {
            starting = false;
            cutToMinimum(now, sink); // overload before any capacity is known: every record admitted now adds delay
        } else if (settings.hasInitialRate()) {
            publishInitialRate(now, sink);
        } else if (settings.holdFirstBatchRate) {
            holdFirstBatchRate(batch, now, sink);
        }
    }

    @Override
    public void onBatchCompleted(BatchSample batch, BoundSink sink) {
        if (!batch.completed()) {
            return;
        }
        for (int i = 0; i < batch.streamCount(); i++) {
            stream(batch.streamId(i));
        }
        long now = batch.processingEndOnBatchClock();
        lastEventMs = now;
        continuous = allContinuous(sink);
        pending.completed(batch.batchTimeMs, now);
        model.observe(batch.totalRecords(), batch.processingDelayMs());
        proven.completed(batch.totalRecords(), batch.processingDelayMs());
        if (!model.known()) {
            return;
        }
        boolean underUtilised = batch.totalRecords() > 0 && pending.isEmpty()
                && batch.schedulingDelayMs() <= 0.1 * settings.batchIntervalMs
                && batch.processingDelayMs() <= UNDER_UTILISED * settings.targetUtilisation * settings.batchIntervalMs;
        if (!underUtilised) {
            // A batch near the target or late: the start found its level. A stream below its bound does not end it (a
            // receiver that started mid-interval fills its first batch only in part).
            starting = false;
        }
        double probeGain = underUtilised ? Math.min(growthGain(),
                settings.targetUtilisation * settings.batchIntervalMs / Math.max(1, batch.processingDelayMs())) : 1;
        // The probe holds until the next completion shows its effect (submissions in between would undo it).
        // Scaled from what the measured batch held, not from today's bounds: a bound raised since that batch was cut
        // would be multiplied by a gain it never earned (a 540-record batch taking 754 ms once planned 1 086 records
        // from an 830/s bound, and the next three batches ran 1.3-1.6 s).
        probeFloor = probeGain > 1 && anyHeld() ? batch.totalRecords() * 1000.0 / settings.batchIntervalMs * probeGain : 0;
        double rate = totalRate(now);
        publish(starting ? startCatchUp(rate, now) : rate, now, sink);
    }

    /**
     * During the slow start, the total for the rest of the current interval such that the next batch holds what
     * {@code rate} plans for a whole one. A completion arrives part-way through the interval, after the streams have
     * stored at the lower bound in force since its start; published as is, the raise reached the next batch only in
     * part, and the ramp grew ~1.6-fold per interval instead of the ceiling's gain (the test bed's spike: 7 batches
     * from minRate to 4 658/s, most of the ramp shed under drop). Only while every stream is held (each stored what its
     * bound allowed, so the bound in force is what was stored) and admits continuously (a receiver, not a batch planned
     * once from the latest bound); at most twice {@code rate}; the next submission publishes {@code rate} again.
     */
    private double startCatchUp(double rate, long nowMs) {
        if (lastBatchTimeMs == Long.MIN_VALUE || !continuous || !allHeld()) {
            return rate;
        }
        double intervalMs = settings.batchIntervalMs;
        double elapsedMs = nowMs - lastBatchTimeMs;
        if (elapsedMs <= 0 || elapsedMs >= 0.9 * intervalMs) {
            return rate;
        }
        double inForce = 0;
        for (StreamState state : streams.values()) {
            inForce += state.history.averageOver(lastBatchTimeMs, nowMs);
        }
        if (Double.isInfinite(inForce) || inForce >= rate) {
            return rate;
        }
        double rest = (rate * intervalMs - inForce * elapsedMs) / (intervalMs - elapsedMs);
        return Math.min(Math.max(rate, rest), 2 * rate);
    }

    private boolean allHeld() {
        for (StreamState state : streams.values()) {
            if (state.bound <= 0 || !state.held) {
                return false;
            }
        }
        return !streams.isEmpty();
    }

    @Override
    public void onReceiverStarted(int streamId, BoundSink sink) {
        StreamState state = stream(streamId);
        if (state.bound > 0) {
            sink.publish(streamId, state.bound);
        } else if (settings.hasInitialRate()) {
            set(state, clamp.toBound(settings.initialRate), lastEventMs, sink);
        } else if (settings.slowStart) {
            set(state, clamp.toBound(settings.minRate), lastEventMs, sink);
        }
    }

    /** The bound last published for {@code streamId}, or -1. */
    public long boundOf(int streamId) {
        StreamState state = streams.get(streamId);
        return state == null ? -1 : state.bound;
    }

    /** Current per-record cost estimate (ms), NaN before the first completed batch with records. */
    public double perRecordCostMs() {
        return model.perRecordMs();
    }

    /** Current per-batch overhead estimate (ms). */
    public double batchOverheadMs() {
        return model.overheadMs();
    }

    /** Records/s all streams together may take, given capacity and the pending backlog at {@code nowMs}. */
    private double totalRate(long nowMs) {
        double intervalMs = settings.batchIntervalMs;
        double workMs = pending.remainingWorkMs(nowMs, model);
        double nextSubmissionMs = lastBatchTimeMs == Long.MIN_VALUE ? nowMs + intervalMs : lastBatchTimeMs + intervalMs;
        double expectedDelayMs = Math.max(0, nowMs + workMs - nextSubmissionMs - settings.standingDelayMs);
        double budgetMs = settings.targetUtilisation * intervalMs - model.overheadMs()
                - expectedDelayMs * intervalMs / settings.drainHorizonMs;
        double rate = budgetMs / model.perRecordMs() * 1000.0 / intervalMs;
        if (expectedDelayMs <= 0) {
            rate = Math.max(rate, probeFloor);
        }
        if (anyHeld()) {
            // Streams that would take more than their bound get at most what recent batches proved, each scaled by the
            // headroom it left beside the fitted overhead and at most probeGain-fold (ProvenThroughput says why a fitted line is not trusted
            // beyond that; a cold start thus grows at most twofold per batch).
            double targetMs = settings.targetUtilisation * intervalMs;
            double ceiling = proven.ceiling(targetMs, growthGain(), model.overheadMs());
            rate = Math.min(rate, ceiling * 1000.0 / intervalMs);
        }
        return rate;
    }

    /**
     * The most one completed batch may raise the total: more during the slow start of receivers, whose sources shed or
     * queue what the ramp does not admit. A stream planned once per batch (Kafka, Structured Streaming) leaves the rest
     * where it was, and its cold first batches keep the twofold ramp (a cold direct stream's fitted line once planned
     * 1 294 records after batches of 100 and 261, which then ran 1.4 s).
     */
    private double growthGain() {
        return receiversStarting() ? Math.max(settings.slowStartGain, settings.probeGain) : settings.probeGain;
    }

    /** The slow start of streams that admit all through the interval (receivers). */
    private boolean receiversStarting() {
        return starting && continuous;
    }

    /**
     * How far a stream that used less than its bound may grow before it contends. During the receivers' slow start as
     * far as the start lets the total grow: a receiver that fills its bound is read as quiet whenever its records reach
     * the batch later than the bound rose (a bound raised mid-interval, records stored in blocks or in bulk), and at
     * 1.5 × its use it was held far under its source for the next interval (in the test bed's spike, one of two
     * receivers got 537/s beside 5 373/s after a batch of 331 records against a bound of ~370/s, and shed 1 600 records
     * of the ramp in that interval). A quiet stream still gets no more than the held streams' level.
     */
    private double quietGrowth() {
        return receiversStarting() ? Math.max(settings.quietStreamGrowth, growthGain()) : settings.quietStreamGrowth;
    }

    private boolean allContinuous(BoundSink sink) {
        for (StreamState state : streams.values()) {
            if (!sink.admitsContinuously(state.id)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the slow start is still on (no batch has come near the target or been late). */
    public boolean isStarting() {
        return starting;
    }

    private void publish(double totalRate, long nowMs, BoundSink sink) {
        int n = streams.size();
        if (n == 0) {
            return;
        }
        StreamState[] states = streams.values().toArray(new StreamState[0]);
        double[] demands = new double[n];
        double[] usage = new double[n];
        for (int i = 0; i < n; i++) {
            usage[i] = states[i].lastRecords * 1000.0 / settings.batchIntervalMs;
            demands[i] = states[i].held ? Double.POSITIVE_INFINITY : usage[i];
        }
        double total = Math.max(0, totalRate);
        double[] allocation = FairShare.split(total, demands);
        double allocated = 0;
        double heldLevel = 0;
        for (int i = 0; i < n; i++) {
            allocated += allocation[i];
            if (states[i].held) {
                heldLevel = Math.max(heldLevel, allocation[i]);
            }
        }
        double spareEach = Math.max(0, total - allocated) / n;
        double quietGrowth = quietGrowth();
        for (int i = 0; i < n; i++) {
            double bound = allocation[i] + spareEach;
            if (!states[i].held && heldLevel > 0) {
                // Room to grow without waiting for a batch at the bound; over-commits by at most this allowance.
                double growth = Math.max(quietGrowth * usage[i], QUIET_FLOOR_SHARE * heldLevel);
                bound = Math.max(bound, Math.min(heldLevel, growth));
            }
            set(states[i], clamp.toBound(bound), nowMs, sink);
        }
    }

    private void set(StreamState state, long bound, long nowMs, BoundSink sink) {
        state.bound = bound;
        state.history.published(nowMs, bound);
        sink.publish(state.id, bound);
    }

    private void cutToMinimum(long nowMs, BoundSink sink) {
        for (StreamState state : streams.values()) {
            set(state, clamp.toBound(settings.minRate), nowMs, sink);
        }
    }

    private void publishInitialRate(long nowMs, BoundSink sink) {
        for (StreamState state : streams.values()) {
            if (state.bound <= 0) {
                set(state, clamp.toBound(settings.initialRate), nowMs, sink);
            }
        }
    }

    /** Streams with records and no bound yet are held at the rate this (their first non-empty) batch showed. */
    private void holdFirstBatchRate(BatchSample batch, long nowMs, BoundSink sink) {
        for (int i = 0; i < batch.streamCount(); i++) {
            StreamState state = stream(batch.streamId(i));
            if (state.bound <= 0 && batch.records(i) > 0) {
                set(state, clamp.toBound(batch.records(i) * 1000.0 / settings.batchIntervalMs), nowMs, sink);
            }
        }
    }

    private boolean anyHeld() {
        for (StreamState state : streams.values()) {
            if (state.bound > 0 && state.held) {
                return true;
            }
        }
        return false;
    }

    private StreamState stream(int streamId) {
        StreamState state = streams.get(streamId);
        if (state == null) {
            state = new StreamState(streamId);
            streams.put(streamId, state);
        }
        return state;
    }

    private static final class StreamState {
        final int id;
        final BoundHistory history = new BoundHistory();
        long lastRecords;
        long bound = -1;
        /** Used at least {@link #HELD_USAGE} of the bound in force during its latest batch: would take more. */
        boolean held = true;

        StreamState(int id) {
            this.id = id;
        }
    }
}
