package dev.sluice.rate;

/**
 * Everything an estimator is configured with. Immutable; build with {@link #builder(long)}.
 *
 * <p>Rates are records per second. Defaults: kind {@code ADAPTIVE}; no initial rate ({@code NaN}); minRate 100 (Spark's
 * {@code pid.minRate} default); no maxRate ({@code +Infinity}); PID gains 1.0 / 0.2 / 0.0 (Spark's defaults). Adaptive
 * defaults are documented on each builder method and in rate-controller/README.md.
 */
public final class EstimatorSettings {
    public final EstimatorKind kind;
    public final long batchIntervalMs;
    public final double initialRate;
    public final double minRate;
    public final double maxRate;
    public final double proportional;
    public final double integral;
    public final double derivative;
    /** Adaptive: share of the batch interval that batches are sized to take (processing time / interval). */
    public final double targetUtilisation;
    /** Adaptive: queued work beyond one batch interval is drained over this many ms. */
    public final long drainHorizonMs;
    /**
     * The default drain horizon, in batch intervals. The drain term takes delay × B ÷ H off the batch it sizes, which
     * runs an interval later, so a cut shows in the delay one interval after it was made: with H = 2 B each cut
     * overshot. After a cost spike was believed, the cut batches ran short, the queue emptied while the bound was still
     * low and the cluster idled (on the test bed's spike, drop shed 2 700–4 100 records a second against a steady
     * ~1 700 while the backlog of the detection drained; in SpikeLimitSimulationTest's n log n job throttle took 1.18×
     * T* and drop lost 1.34–1.35× the minimum, medians). Three intervals: 1.08–1.18× and 1.30–1.32×. Four (no overshoot
     * in the one-interval model) gained little more and kept drop 2 s longer out of real time after a cost spike began
     * (CostSpikeSimulationTest: 8 s instead of 6). In batches, not milliseconds, so that it holds at every interval.
     */
    public static final int DRAIN_HORIZON_BATCHES = 3;
    /** Adaptive: scheduling delay the drain term leaves queued (0: it drains every batch queued beyond the next). */
    public final long standingDelayMs;
    /** Adaptive: the cost model is fitted to this many recent non-empty batches. */
    public final int costWindowBatches;
    /**
     * Adaptive: a cost sample that differs by more than this relative band is a change of regime, not noise. The
     * least band: on a noisy cluster the model raises it to 3x the median miss of recent batches (BatchCostModel).
     */
    public final double costChangeBand;
    /** Adaptive: weight of a faster-than-estimated sample beyond the band (a slower one is taken at once when surely slower or confirmed by the next batch). */
    public final double costSpeedUpWeight;
    /** Adaptive: when under-utilised, the total bound grows at least by this factor per completed batch. */
    public final double probeGain;
    /** Adaptive: probeGain during the slow start (the larger of the two), until a batch nears the target. */
    public final double slowStartGain;
    /** Adaptive: a stream admitting less than its bound may grow by this factor per batch without contending. */
    public final double quietStreamGrowth;
    /** Adaptive, no initial rate: hold each stream at the rate its first non-empty batch showed until a batch completes. */
    public final boolean holdFirstBatchRate;
    /** Adaptive, no initial rate: a receiver starts at minRate and grows while batches finish in time. */
    public final boolean slowStart;

    private EstimatorSettings(Builder b) {
        this.kind = b.kind;
        this.batchIntervalMs = b.batchIntervalMs;
        this.initialRate = b.initialRate;
        this.minRate = b.minRate;
        this.maxRate = b.maxRate;
        this.proportional = b.proportional;
        this.integral = b.integral;
        this.derivative = b.derivative;
        this.targetUtilisation = b.targetUtilisation;
        this.drainHorizonMs = b.drainHorizonMs;
        this.standingDelayMs = b.standingDelayMs;
        this.costWindowBatches = b.costWindowBatches;
        this.costChangeBand = b.costChangeBand;
        this.costSpeedUpWeight = b.costSpeedUpWeight;
        this.probeGain = b.probeGain;
        this.slowStartGain = b.slowStartGain;
        this.quietStreamGrowth = b.quietStreamGrowth;
        this.holdFirstBatchRate = b.holdFirstBatchRate;
        this.slowStart = b.slowStart;
    }

    public static Builder builder(long batchIntervalMs) {
        return new Builder(batchIntervalMs);
    }

    public Builder toBuilder() {
        Builder b = new Builder(batchIntervalMs);
        b.kind = kind;
        b.initialRate = initialRate;
        b.minRate = minRate;
        b.maxRate = maxRate;
        b.proportional = proportional;
        b.integral = integral;
        b.derivative = derivative;
        b.targetUtilisation = targetUtilisation;
        b.drainHorizonMs = drainHorizonMs;
        b.standingDelayMs = standingDelayMs;
        b.costWindowBatches = costWindowBatches;
        b.costChangeBand = costChangeBand;
        b.costSpeedUpWeight = costSpeedUpWeight;
        b.probeGain = probeGain;
        b.slowStartGain = slowStartGain;
        b.quietStreamGrowth = quietStreamGrowth;
        b.holdFirstBatchRate = holdFirstBatchRate;
        b.slowStart = slowStart;
        return b;
    }

    public boolean hasInitialRate() {
        return !Double.isNaN(initialRate);
    }

    public BoundClamp clamp() {
        return new BoundClamp(minRate, maxRate);
    }

    @Override
    public String toString() {
        return "EstimatorSettings{kind=" + kind + ", batchIntervalMs=" + batchIntervalMs + ", initialRate=" + initialRate
                + ", minRate=" + minRate + ", maxRate=" + maxRate + ", pid=" + proportional + "/" + integral + "/"
                + derivative + ", targetUtilisation=" + targetUtilisation + ", drainHorizonMs=" + drainHorizonMs
                + ", standingDelayMs=" + standingDelayMs
                + ", costWindowBatches=" + costWindowBatches + ", costChangeBand=" + costChangeBand
                + ", costSpeedUpWeight=" + costSpeedUpWeight + ", probeGain="
                + probeGain + ", slowStartGain=" + slowStartGain + ", quietStreamGrowth=" + quietStreamGrowth
                + ", holdFirstBatchRate=" + holdFirstBatchRate
                + ", slowStart=" + slowStart
                + '}';
    }

    public static final class Builder {
        private EstimatorKind kind = EstimatorKind.ADAPTIVE;
        private final long batchIntervalMs;
        private double initialRate = Double.NaN;
        private double minRate = 100;
        private double maxRate = Double.POSITIVE_INFINITY;
        private double proportional = 1.0;
        private double integral = 0.2;
        private double derivative = 0.0;
        private double targetUtilisation = 0.99;
        private long drainHorizonMs;
        private long standingDelayMs;
        private int costWindowBatches = 12;
        private double costChangeBand = 0.15;
        private double costSpeedUpWeight = 1.0;
        private double probeGain = 2.0;
        private double slowStartGain = 8.0;
        private double quietStreamGrowth = 1.5;
        private boolean holdFirstBatchRate = true;
        private boolean slowStart = true;

        private Builder(long batchIntervalMs) {
            this.batchIntervalMs = batchIntervalMs;
            this.drainHorizonMs = DRAIN_HORIZON_BATCHES * batchIntervalMs;
        }

        public Builder kind(EstimatorKind value) {
            kind = value;
            return this;
        }

        /** Bound before any estimate; NaN (default) = none, the first batch measures. */
        public Builder initialRate(double value) {
            initialRate = value;
            return this;
        }

        /** Default 100. */
        public Builder minRate(double value) {
            minRate = value;
            return this;
        }

        /** Default +Infinity (none). */
        public Builder maxRate(double value) {
            maxRate = value;
            return this;
        }

        /** PID gains; defaults 1.0 / 0.2 / 0.0 as in Spark. */
        public Builder pid(double p, double i, double d) {
            proportional = p;
            integral = i;
            derivative = d;
            return this;
        }

        /** Default 0.99 (Spark's PID sizes batches to the full interval; a little headroom absorbs jitter). */
        public Builder targetUtilisation(double value) {
            targetUtilisation = value;
            return this;
        }

        /** Default {@link #DRAIN_HORIZON_BATCHES} batch intervals. */
        public Builder drainHorizonMs(long value) {
            drainHorizonMs = value;
            return this;
        }

        /**
         * Default 0: the drain term clears every queued batch, so Sluice holds its scheduling delay near zero. A standing
         * delay is a queue kept on purpose: a cluster that always has the next batch waiting never idles while a
         * backlog drains, and a lossy stream carries part of a short cost spike's excess into the time after it instead
         * of shedding it. It costs the same delay on every record, and it is slack a GC pause or a slow draw no longer
         * has: in the simulator, 300 ms about halved the seeds on which a job with GC pauses meets every floor
         * ({@code StandingDelaySimulationTest} has the figures).
         */
        public Builder standingDelayMs(long value) {
            standingDelayMs = value;
            return this;
        }

        /** Default 12. */
        public Builder costWindowBatches(int value) {
            costWindowBatches = value;
            return this;
        }

        /** Default 0.15. */
        public Builder costChangeBand(double value) {
            costChangeBand = value;
            return this;
        }

        /** Default 1.0 (a clearly faster batch is believed at once, as Spark's memoryless PID does). */
        public Builder costSpeedUpWeight(double value) {
            costSpeedUpWeight = value;
            return this;
        }

        /**
         * Default 2: the most an under-utilised batch of P ms raises the total, which is min(probeGain, u·B / P). Under
         * batch time = overhead + cost × records a batch g times larger takes at most g × P, so u·B / P alone never
         * plans a batch beyond u·B; the cap limits what noise in P can do (1.1 before: a start-up ramp under throttle
         * then crept up 10 % a batch and queued 2 s of records in TCP).
         */
        public Builder probeGain(double value) {
            probeGain = value;
            return this;
        }

        /**
         * Default 8: probeGain during the slow start. Like TCP's slow start against its congestion avoidance: while every
         * batch so far ran far under the target without delay (nothing has yet shown where the capacity is), a batch of
         * P ms raises the total by up to min(slowStartGain, headroom) instead of min(probeGain, headroom); the first
         * batch near the target, late or queued behind another ends the start for good. The headroom
         * term still plans no batch beyond u·B under batch time = overhead + cost × records, so the gain binds only
         * after a batch that ran under an eighth of the target: the first one, whose receivers started part-way through
         * its interval (104 records in 122 ms on the test bed's job, headroom 8.1). At twofold the ramp from minRate to
         * the test bed's 4 658/s took 7 batches and drop shed most of it, which the ideal sheds none of; at fourfold
         * the first batch's raise still left the ramp's second second at a fifth of what the source offered.
         */
        public Builder slowStartGain(double value) {
            slowStartGain = value;
            return this;
        }

        /** Default 1.5. */
        public Builder quietStreamGrowth(double value) {
            quietStreamGrowth = value;
            return this;
        }

        /**
         * Default true: with no initial rate, the first non-empty batch runs unbounded and measures; from its submission
         * until a batch completes, each stream is held at the rate that batch showed (records / interval). A receiver
         * that started mid-interval is thus held below its offered rate for about one batch's processing time, and an
         * overloaded job queues far fewer records before the first evidence of overload.
         */
        public Builder holdFirstBatchRate(boolean value) {
            holdFirstBatchRate = value;
            return this;
        }

        /**
         * Default true: with no initial rate, a stream whose receiver starts gets minRate at once, and the bound then
         * grows at most slowStartGain-fold per batch while batches finish far under the target, then at most
         * probeGain-fold. Without it, the first batch of a cold
         * job runs unbounded and holds whatever the source offered in the first interval (seconds of work under
         * overload, before any evidence exists). The hold of {@link #holdFirstBatchRate} still covers a receiver whose
         * start the driver did not see.
         */
        public Builder slowStart(boolean value) {
            slowStart = value;
            return this;
        }

        public EstimatorSettings build() {
            check(batchIntervalMs > 0, "batchIntervalMs must be > 0: " + batchIntervalMs);
            check(kind != null, "kind must be set");
            check(Double.isNaN(initialRate) || initialRate > 0, "initialRate must be > 0 or NaN: " + initialRate);
            check(minRate > 0, "minRate must be > 0: " + minRate);
            check(maxRate >= minRate, "maxRate must be >= minRate: " + maxRate);
            check(proportional >= 0 && integral >= 0 && derivative >= 0, "PID gains must be >= 0");
            check(targetUtilisation > 0 && targetUtilisation <= 1, "targetUtilisation must be in (0, 1]");
            check(drainHorizonMs > 0, "drainHorizonMs must be > 0");
            check(standingDelayMs >= 0, "standingDelayMs must be >= 0");
            check(costWindowBatches >= 2, "costWindowBatches must be >= 2");
            check(costChangeBand > 0 && costChangeBand < 1, "costChangeBand must be in (0, 1)");
            check(costSpeedUpWeight > 0 && costSpeedUpWeight <= 1, "costSpeedUpWeight must be in (0, 1]");
            check(probeGain >= 1, "probeGain must be >= 1");
            check(slowStartGain >= 1, "slowStartGain must be >= 1");
            check(quietStreamGrowth >= 1, "quietStreamGrowth must be >= 1");
            return new EstimatorSettings(this);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
