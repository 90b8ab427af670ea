package dev.sluice.rate.sim;

import dev.sluice.rate.BatchSample;
import dev.sluice.rate.BoundSink;
import dev.sluice.rate.RateEstimator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongToDoubleFunction;

/**
 * A deterministic discrete-event model of a receiver-based Spark Streaming job, to drive a {@link RateEstimator} the way
 * Spark's listener bus would.
 *
 * <ul>
 * <li>Receivers start together, {@code phase × interval} before the first batch time (a random phase from the seed
 * unless fixed): the first batch holds that share of a full interval's input.</li>
 * <li>Each stream is offered {@code offered(t)} records/s; per 5 ms step it admits {@code min(offered, bound)} (DROP:
 * the rest is lost) or drains a source-side queue at most at the bound (THROTTLE: the rest waits at the source, as in a
 * TCP channel or an unread Kafka log).</li>
 * <li>A published bound takes effect {@code boundDelayMs} later (records already in the block generator still land).
 *  No bound yet = unlimited.</li>
 * <li>At every multiple of the interval the admitted records form a batch (submitted a few ms later); batches run one at a
 * time, FIFO, taking {@code overheadMs + perRecordMs(start time) × records} (× a seeded jitter), or
 * {@code emptyBatchMs} when empty. {@code onBatchSubmitted} and {@code onBatchCompleted} are delivered in time order;
 * {@code onReceiverStarted} when receivers start (and on {@link Config#restartAtMs}).</li>
 * </ul>
 */
public final class SimulatedStreamingJob {
    public enum Admission {
        DROP, THROTTLE,
        /**
         * A Kafka direct stream: records wait at the source, and each batch takes, at its batch time, at most the bound
         * in force then × the interval (Spark plans the offset ranges on the driver when it generates the batch).
         */
        PLANNED
    }

    private static final double STEP_MS = 5;
    private static final long SUBMIT_LAG_MS = 3;

    private final Config config;

    public SimulatedStreamingJob(Config config) {
        this.config = config;
    }

    public static Config config() {
        return new Config();
    }

    /** Everything that defines a run; mutable builder style, copied by the job. */
    public static final class Config {
        long batchIntervalMs = 1000;
        double overheadMs = 50;
        DoubleUnaryOperator perRecordMsAt = t -> 0.1;
        List<DoubleUnaryOperator> offered = new ArrayList<>();
        /** Per stream, the admission it uses; null: {@link #admission}. */
        List<Admission> streamAdmission = new ArrayList<>();
        double boundDelayMs = 200;
        double phase = Double.NaN;
        long durationMs = 120_000;
        Admission admission = Admission.DROP;
        double jitter = 0.02;
        double outlierProbability;
        double driftCorrelation;
        double driftSigma;
        double outlierFactor = 1;
        double emptyBatchMs = 10;
        long seed = 1;
        long restartAtMs = -1;
        LongToDoubleFunction batchCostMs;
        DoubleUnaryOperator workFactorAt = t -> 1;
        double logNormalSigma;
        int pauseEvery;
        double pauseMinMs;
        double pauseMaxMs;

        public Config batchIntervalMs(long v) { batchIntervalMs = v; return this; }
        public Config overheadMs(double v) { overheadMs = v; return this; }
        /** Per-record cost, ms, as a function of the time (ms since start) the batch starts processing. */
        public Config perRecordMs(DoubleUnaryOperator v) { perRecordMsAt = v; return this; }
        public Config perRecordMs(double v) { perRecordMsAt = t -> v; return this; }
        /** Adds a stream (ids 0, 1, ...) offered {@code rate(t)} records/s, t in ms since start. */
        public Config stream(DoubleUnaryOperator rate) { return stream(rate, null); }
        /**
         * Adds a stream with an admission of its own, e.g. a receiver stream and a Kafka direct stream in one
         * StreamingContext; null: the job's {@link #admission(Admission)}.
         */
        public Config stream(DoubleUnaryOperator rate, Admission admission) {
            offered.add(rate);
            streamAdmission.add(admission);
            return this;
        }

        Admission admissionOf(int stream) {
            Admission own = streamAdmission.get(stream);
            return own == null ? admission : own;
        }

        boolean anyPlanned() {
            for (int s = 0; s < offered.size(); s++) {
                if (admissionOf(s) == Admission.PLANNED) {
                    return true;
                }
            }
            return false;
        }
        public Config boundDelayMs(double v) { boundDelayMs = v; return this; }
        /** Share of the first interval the receivers run before the first batch; NaN = drawn from the seed. */
        public Config phase(double v) { phase = v; return this; }
        public Config durationMs(long v) { durationMs = v; return this; }
        public Config admission(Admission v) { admission = v; return this; }
        public Config jitter(double v) { jitter = v; return this; }
        /** Slow and fast phases: each batch's time × (1 + x), x an AR(1) series with this correlation and sigma. */
        public Config drift(double correlation, double sigma) {
            driftCorrelation = correlation;
            driftSigma = sigma;
            return this;
        }
        /** With {@code probability}, a batch takes {@code factor} × its time (a GC pause, a noisy neighbour). */
        public Config outliers(double probability, double factor) {
            outlierProbability = probability;
            outlierFactor = factor;
            return this;
        }
        public Config emptyBatchMs(double v) { emptyBatchMs = v; return this; }
        public Config seed(long v) { seed = v; return this; }
        /** Receivers restart at this time: they lose their bound and the estimator hears onReceiverStarted. */
        public Config restartAtMs(long v) { restartAtMs = v; return this; }

        /**
         * A batch of n records takes {@code cost(n)} ms before noise, in place of overhead + per-record cost × n (a job
         * the estimator's line does not model: superlinear, a spill step).
         */
        public Config batchCostMs(LongToDoubleFunction cost) { batchCostMs = cost; return this; }
        /**
         * With {@link #batchCostMs}: each record offered at t carries {@code factor(t)} times the usual work, as in the
         * test bed (a cost spike is a property of the records, whenever they are processed). A batch costs
         * {@code cost(0) + factor × (cost(n) − cost(0))} with the mean factor of its records, each taken when it was
         * offered (a record waiting at a throttled source keeps its work): the per-batch fixed cost does not change.
         */
        public Config workFactor(DoubleUnaryOperator factor) { workFactorAt = factor; return this; }
        /** Each batch's time × exp(sigma · N(0,1)): heavy-tailed noise (median 1, mean exp(sigma²/2)). */
        public Config logNormalNoise(double sigma) { logNormalSigma = sigma; return this; }
        /** Every {@code every}-th batch (by index) takes a pause of uniform [minMs, maxMs] on top (a full GC). */
        public Config pauses(int every, double minMs, double maxMs) {
            pauseEvery = every;
            pauseMinMs = minMs;
            pauseMaxMs = maxMs;
            return this;
        }

        /**
         * Expected time of a batch of n records over the noise, the pauses spread over the batches: with
         * {@link #batchCostMs} set, what the job costs in the long run (its true capacity is the largest n this keeps
         * within the interval).
         */
        public double expectedBatchMs(long records) {
            return expectedBatchMs(records, 1);
        }

        /** As {@link #expectedBatchMs(long)}, for records carrying {@code workFactor} times the usual work. */
        public double expectedBatchMs(long records, double workFactor) {
            double base = batchCostMs != null ? costOf(records, workFactor)
                    : overheadMs + perRecordMsAt.applyAsDouble(0) * workFactor * records;
            double noise = Math.exp(logNormalSigma * logNormalSigma / 2);
            double pause = pauseEvery > 0 ? (pauseMinMs + pauseMaxMs) / 2 / pauseEvery : 0;
            return base * noise + pause;
        }

        double costOf(long records, double workFactor) {
            double fixed = batchCostMs.applyAsDouble(0);
            return fixed + workFactor * (batchCostMs.applyAsDouble(records) - fixed);
        }

        /** Records/s the job sustains with full batches at base cost (cost at t=0). */
        public double sustainableRate() {
            return (batchIntervalMs - overheadMs) / perRecordMsAt.applyAsDouble(0) * 1000.0 / batchIntervalMs;
        }
    }

    /** One batch as the run saw it. */
    public static final class Batch {
        public final int index;
        public final long timeMs;
        public final long[] records;
        public final long submissionMs;
        public long startMs = -1;
        public long endMs = -1;
        /** Records waiting at the source (THROTTLE) when the batch was cut. */
        public final double sourceBacklog;
        /** Records/s all streams were offered at the batch time. */
        public final double offeredRate;
        /** Bounds in force at the batch time (Long.MAX_VALUE = none). */
        public final long[] bounds;
        /** Mean work factor of the batch's records ({@link Config#workFactor}, taken when each was offered). */
        double workFactor = 1;

        Batch(int index, long timeMs, long[] records, double sourceBacklog, double offeredRate, long[] bounds) {
            this.index = index;
            this.timeMs = timeMs;
            this.records = records;
            this.submissionMs = timeMs + SUBMIT_LAG_MS;
            this.sourceBacklog = sourceBacklog;
            this.offeredRate = offeredRate;
            this.bounds = bounds;
        }

        public long totalRecords() {
            long sum = 0;
            for (long r : records) {
                sum += r;
            }
            return sum;
        }

        public long schedulingDelayMs() {
            return startMs - submissionMs;
        }

        public long processingMs() {
            return endMs - startMs;
        }

        @Override
        public String toString() {
            return String.format("#%3d t=%6.1fs rec=%s sched=%6d ms proc=%5d ms bounds=%s backlog=%.0f", index,
                    timeMs / 1000.0, Arrays.toString(records), schedulingDelayMs(), processingMs(),
                    Arrays.toString(bounds).replace(String.valueOf(Long.MAX_VALUE), "none"), sourceBacklog);
        }
    }

    public SimulationResult run(RateEstimator estimator) {
        return new Run(estimator).execute();
    }

    private final class Run implements BoundSink {
        @Override
        public boolean admitsContinuously(int streamId) {
            return config.admissionOf(streamId) != Admission.PLANNED;
        }

        final RateEstimator estimator;
        final int streams = config.offered.size();
        // SplittableRandom: java.util.Random gives nearly equal first draws for neighbouring seeds
        final SplittableRandom random = new SplittableRandom(config.seed);
        final double interval = config.batchIntervalMs;
        final long[] bound = new long[streams];
        final List<List<double[]>> scheduledBounds = new ArrayList<>();
        final double[] accumulated = new double[streams];
        final RecordWork[] sourceWork = new RecordWork[streams];
        final RecordWork[] admittedWork = new RecordWork[streams];
        final double[] sourceBacklog = new double[streams];
        final ArrayDeque<Batch> queue = new ArrayDeque<>();
        final List<Batch> batches = new ArrayList<>();
        Batch running;
        double drift;
        double runningEnd;
        double now;
        double offeredTotal;
        double admittedTotal;

        Run(RateEstimator estimator) {
            this.estimator = estimator;
            Arrays.fill(bound, Long.MAX_VALUE);
            for (int i = 0; i < streams; i++) {
                sourceWork[i] = new RecordWork();
                admittedWork[i] = new RecordWork();
                scheduledBounds.add(new ArrayList<>());
            }
        }

        @Override
        public void publish(int streamId, long recordsPerSecond) {
            if (streamId < 0 || streamId >= streams) {
                throw new AssertionError("bound for unknown stream " + streamId);
            }
            if (recordsPerSecond < 1) {
                throw new AssertionError("bound below 1: " + recordsPerSecond);
            }
            scheduledBounds.get(streamId).add(new double[] {now + config.boundDelayMs, recordsPerSecond});
        }

        SimulationResult execute() {
            double phase = Double.isNaN(config.phase) ? random.nextDouble() : config.phase;
            double receiverStart = interval * (1 - phase);
            boolean started = false;
            boolean restarted = config.restartAtMs < 0;
            long nextBatch = config.batchIntervalMs;
            for (double t = 0; t < config.durationMs; t += STEP_MS) {
                completeUpTo(t);
                if (t >= nextBatch) {
                    completeUpTo(nextBatch + SUBMIT_LAG_MS);
                    now = nextBatch + SUBMIT_LAG_MS;
                    submit(nextBatch);
                    nextBatch += config.batchIntervalMs;
                }
                now = t;
                if (!started && t >= receiverStart) {
                    started = true;
                    for (int s = 0; s < streams; s++) {
                        estimator.onReceiverStarted(s, this);
                    }
                }
                if (!restarted && t >= config.restartAtMs) {
                    restarted = true;
                    Arrays.fill(bound, Long.MAX_VALUE); // a new receiver starts without Sluice's bound
                    for (int s = 0; s < streams; s++) {
                        scheduledBounds.get(s).clear();
                        estimator.onReceiverStarted(s, this);
                    }
                }
                applyBounds(t);
                if (started) {
                    admit(t);
                }
            }
            completeUpTo(Double.POSITIVE_INFINITY);
            return new SimulationResult(config, batches, phase, offeredTotal, admittedTotal);
        }

        private void applyBounds(double t) {
            for (int s = 0; s < streams; s++) {
                List<double[]> pendingBounds = scheduledBounds.get(s);
                while (!pendingBounds.isEmpty() && pendingBounds.get(0)[0] <= t) {
                    bound[s] = (long) pendingBounds.remove(0)[1];
                }
            }
        }

        private void admit(double t) {
            double seconds = STEP_MS / 1000.0;
            for (int s = 0; s < streams; s++) {
                double offered = Math.max(0, config.offered.get(s).applyAsDouble(t)) * seconds;
                double allowed = bound[s] == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : bound[s] * seconds;
                double admitted;
                Admission admission = config.admissionOf(s);
                double factor = config.workFactorAt.applyAsDouble(t);
                if (admission == Admission.PLANNED) {
                    sourceBacklog[s] += offered;
                    sourceWork[s].add(offered, factor);
                    admitted = 0; // taken at the batch time, see plan()
                } else if (admission == Admission.THROTTLE) {
                    sourceBacklog[s] += offered;
                    sourceWork[s].add(offered, factor);
                    admitted = Math.min(sourceBacklog[s], allowed);
                    sourceBacklog[s] -= admitted;
                    admittedWork[s].add(admitted, sourceWork[s].take(admitted) / Math.max(admitted, 1e-12));
                } else {
                    admitted = Math.min(offered, allowed);
                    admittedWork[s].add(admitted, factor);
                }
                offeredTotal += offered;
                admittedTotal += admitted;
                accumulated[s] += admitted;
            }
        }

        private void plan() {
            for (int s = 0; s < streams; s++) {
                if (config.admissionOf(s) != Admission.PLANNED) {
                    continue;
                }
                double allowed = bound[s] == Long.MAX_VALUE ? Double.POSITIVE_INFINITY
                        : bound[s] * interval / 1000.0;
                double taken = Math.min(Math.floor(sourceBacklog[s] + 1e-9), Math.floor(allowed + 1e-9));
                sourceBacklog[s] -= taken;
                admittedWork[s].add(taken, sourceWork[s].take(taken) / Math.max(taken, 1e-12));
                admittedTotal += taken;
                accumulated[s] += taken;
            }
        }

        private void submit(long batchTime) {
            if (config.anyPlanned()) {
                plan();
            }
            long[] records = new long[streams];
            double backlog = 0;
            double offeredRate = 0;
            double work = 0;
            for (int s = 0; s < streams; s++) {
                records[s] = (long) Math.floor(accumulated[s] + 1e-9);
                accumulated[s] -= records[s];
                work += admittedWork[s].take(records[s]);
                backlog += sourceBacklog[s];
                offeredRate += config.offered.get(s).applyAsDouble(batchTime);
            }
            Batch batch = new Batch(batches.size() + 1, batchTime, records, backlog, offeredRate, bound.clone());
            batch.workFactor = batch.totalRecords() > 0 ? work / batch.totalRecords() : 1;
            batches.add(batch);
            queue.add(batch);
            estimator.onBatchSubmitted(sample(batch, -1, -1), this);
            if (running == null) {
                startNext(batch.submissionMs);
            }
        }

        private void completeUpTo(double t) {
            while (running != null && runningEnd <= t) {
                Batch done = running;
                done.endMs = (long) Math.ceil(runningEnd);
                running = null;
                now = done.endMs;
                estimator.onBatchCompleted(sample(done, done.startMs, done.endMs), this);
                startNext(done.endMs);
            }
        }

        private void startNext(double at) {
            Batch next = queue.poll();
            if (next == null) {
                return;
            }
            next.startMs = (long) Math.ceil(Math.max(at, next.submissionMs));
            long records = next.totalRecords();
            double base = records == 0 ? config.emptyBatchMs
                    : config.batchCostMs != null ? config.costOf(records, next.workFactor)
                    : config.overheadMs + config.perRecordMsAt.applyAsDouble(next.startMs) * records;
            double noise = 1 + config.jitter * (2 * random.nextDouble() - 1);
            if (config.driftSigma > 0) {
                drift = config.driftCorrelation * drift + config.driftSigma * gaussian();
                noise *= Math.max(0.5, 1 + drift);
            }
            if (config.outlierProbability > 0 && random.nextDouble() < config.outlierProbability) {
                noise *= config.outlierFactor;
            }
            if (config.logNormalSigma > 0) {
                noise *= Math.exp(config.logNormalSigma * gaussian());
            }
            double pauseMs = 0;
            if (config.pauseEvery > 0 && next.index % config.pauseEvery == 0) {
                pauseMs = config.pauseMinMs + (config.pauseMaxMs - config.pauseMinMs) * random.nextDouble();
            }
            running = next;
            runningEnd = next.startMs + Math.max(1, base * noise + pauseMs);
        }

        private double gaussian() {
            return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
        }

        private BatchSample sample(Batch batch, long start, long end) {
            int[] ids = new int[streams];
            for (int s = 0; s < streams; s++) {
                ids[s] = s;
            }
            return new BatchSample(batch.timeMs, config.batchIntervalMs, batch.submissionMs, start, end, ids,
                    batch.records);
        }
    }
}
