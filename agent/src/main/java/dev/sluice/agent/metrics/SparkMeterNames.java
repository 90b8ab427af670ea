package dev.sluice.agent.metrics;

import dev.sluice.receiver.driver.DriverStream;
import dev.sluice.receiver.driver.DriverStreams;
import dev.sluice.receiver.driver.PlannedAdmission;
import dev.sluice.receiver.executor.ManagedStream;
import dev.sluice.receiver.executor.StreamGates;
import dev.sluice.receiver.guard.MemoryGuard;
import dev.sluice.runtime.AdviceErrors;
import dev.sluice.sql.driver.QueryRuns;
import dev.sluice.sql.driver.QueryStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sluice's meters as Spark's metrics system names them inside the source {@value #SOURCE_NAME}: one gauge per name,
 * read when a sink reports. Free of Spark and Codahale types, so it is testable alone and loads in any JVM.
 *
 * <p>Every gauge looks its stream up by id when it is read, so a stream that is retired and created again under the
 * same id is followed without re-registration; a stream that no longer exists reads -1. Counts are cumulative since
 * the stream appeared in this JVM; -1 also stands for "no value yet" (Spark's StreamingSource does the same).
 *
 * <p>Names per input stream id: a receiver's stream in the executor running it, {@code stream.<id>.bound|admitted|...}
 * ({@link ExecutorMeter}); every governed stream on the driver, {@code stream.<id>.estimator.*} ({@link DriverMeter});
 * a stream the driver plans itself (Kafka direct), also {@code stream.<id>.direct.bound|admitted|lastBatchAdmitted|lag}
 * ({@link DirectMeter}), registered from its first planned batch.
 *
 * <p>Per governed Structured Streaming query run on the driver, by the query's name (else its id):
 * {@code query.<name>.lastBatchDurationMs|targetMs|triggerMs|lastBatchId} ({@link QueryMeter}) and per governed source
 * {@code query.<name>.<kafka<i>|files<i>>.limit|lastBatchAdmitted|admitted|backlog} ({@link QuerySourceMeter}). Unlike a
 * stream's, these leave the source when their query stops ({@link #QUERY_PREFIX}).
 */
final class SparkMeterNames {

    static final String SOURCE_NAME = "sluice";
    /** Names of Structured Streaming queries' meters: removed when no live query has them any more. */
    static final String QUERY_PREFIX = "query.";

    /** A gauge's value, read on the reporting thread of a sink. */
    interface Reading {
        Number read();
    }

    private SparkMeterNames() {
    }

    /** Every name that should exist now, with its reading; a caller registers the names it has not yet seen. */
    static Map<String, Reading> current(List<ManagedStream> executorStreams, List<DriverStream> driverStreams) {
        Map<String, Reading> out = new LinkedHashMap<String, Reading>();
        for (ManagedStream s : executorStreams) {
            addExecutorStream(out, s.streamId());
        }
        if (!executorStreams.isEmpty()) {
            // The guard acts per JVM on all its streams; it runs where receivers run.
            out.put("guard.level", new Reading() {
                @Override
                public Number read() {
                    return MemoryGuard.level().ordinal();
                }
            });
            out.put("guard.factor", new Reading() {
                @Override
                public Number read() {
                    return MemoryGuard.factor();
                }
            });
        }
        for (DriverStream d : driverStreams) {
            addDriverStream(out, d.streamId());
            if (d.planned().any()) {
                addDirectStream(out, d.streamId());
            }
        }
        for (QueryStatus q : QueryRuns.live()) {
            addQuery(out, q);
        }
        out.put("adviceErrors", new Reading() {
            @Override
            public Number read() {
                return AdviceErrors.total();
            }
        });
        for (final AdviceErrors.Hook hook : AdviceErrors.Hook.values()) {
            out.put("adviceErrors." + hook.name(), new Reading() {
                @Override
                public Number read() {
                    return AdviceErrors.count(hook);
                }
            });
            if (hook.hasBreaker) {
                out.put("adviceBypassed." + hook.name(), new Reading() {
                    @Override
                    public Number read() {
                        return AdviceErrors.bypassed(hook) ? 1 : 0;
                    }
                });
            }
        }
        return out;
    }

    private static void addExecutorStream(Map<String, Reading> out, int id) {
        for (ExecutorMeter m : ExecutorMeter.values()) {
            out.put("stream." + id + "." + m.suffix, new ExecutorReading(id, m));
        }
    }

    private static void addDriverStream(Map<String, Reading> out, int id) {
        for (DriverMeter m : DriverMeter.values()) {
            out.put("stream." + id + ".estimator." + m.suffix, new DriverReading(id, m));
        }
    }

    private static void addDirectStream(Map<String, Reading> out, int id) {
        for (DirectMeter m : DirectMeter.values()) {
            out.put("stream." + id + ".direct." + m.suffix, new DirectReading(id, m));
        }
    }

    private static void addQuery(Map<String, Reading> out, QueryStatus q) {
        for (QueryMeter m : QueryMeter.values()) {
            out.put(QUERY_PREFIX + q.key + "." + m.suffix, new QueryReading(q.key, null, m, null));
        }
        for (QueryStatus.Source s : q.sources) {
            for (QuerySourceMeter m : QuerySourceMeter.values()) {
                out.put(QUERY_PREFIX + q.key + "." + s.name + "." + m.suffix, new QueryReading(q.key, s.name, null, m));
            }
        }
    }

    /** What a governed query run shows: {@code query.<name>.<suffix>}; -1 where there is no value yet. */
    enum QueryMeter {
        LAST_BATCH_DURATION_MS("lastBatchDurationMs"), TARGET_MS("targetMs"), TRIGGER_MS("triggerMs"),
        LAST_BATCH_ID("lastBatchId");

        final String suffix;

        QueryMeter(String suffix) {
            this.suffix = suffix;
        }

        Number of(QueryStatus q) {
            switch (this) {
                case LAST_BATCH_DURATION_MS: return q.lastBatchDurationMs;
                case TARGET_MS: return q.targetMs;
                case TRIGGER_MS: return q.triggerMs;
                default: return q.lastBatchId;
            }
        }
    }

    /**
     * What one governed source of a query shows: {@code query.<name>.<source>.<suffix>}. {@code limit} is in the
     * source's own kind (rows for Kafka, files or bytes for a file source); the others are rows, but {@code backlog}
     * of a file source under {@code maxBytesPerTrigger} is the bytes its last planning left waiting; {@code backlog} is
     * -1 where the source reports no latest offset (files under "all available" or {@code maxFilesPerTrigger}).
     */
    enum QuerySourceMeter {
        LIMIT("limit"), LAST_BATCH_ADMITTED("lastBatchAdmitted"), ADMITTED("admitted"), BACKLOG("backlog");

        final String suffix;

        QuerySourceMeter(String suffix) {
            this.suffix = suffix;
        }

        Number of(QueryStatus.Source s) {
            switch (this) {
                case LIMIT: return s.limit;
                case LAST_BATCH_ADMITTED: return s.lastBatchAdmitted;
                case ADMITTED: return s.admitted;
                default: return s.backlog;
            }
        }
    }

    /** Looks the query run up by key when read, so a restarted run (same name) is followed without re-registering. */
    private static final class QueryReading implements Reading {
        private final String key;
        private final String source;
        private final QueryMeter queryMeter;
        private final QuerySourceMeter sourceMeter;

        QueryReading(String key, String source, QueryMeter queryMeter, QuerySourceMeter sourceMeter) {
            this.key = key;
            this.source = source;
            this.queryMeter = queryMeter;
            this.sourceMeter = sourceMeter;
        }

        @Override
        public Number read() {
            QueryStatus q = QueryRuns.byKey(key);
            if (q != null && queryMeter != null) {
                return queryMeter.of(q);
            }
            for (QueryStatus.Source s : q == null ? java.util.Collections.<QueryStatus.Source>emptyList() : q.sources) {
                if (s.name.equals(source)) {
                    return sourceMeter.of(s);
                }
            }
            return Long.valueOf(-1);
        }
    }

    /** What a receiver's stream shows in an executor: {@code stream.<id>.<suffix>}. */
    enum ExecutorMeter {
        BOUND("bound"), LEARNED_BOUND("learnedBound"), OFFERED("offered"), ADMITTED("admitted"), DROPPED("dropped"),
        STORED("stored"), THROTTLE_WAIT_MS("throttleWaitMs"), THROTTLE_OVERDUE("throttleOverdue"),
        STRATEGY_ERRORS("strategyErrors");

        final String suffix;

        ExecutorMeter(String suffix) {
            this.suffix = suffix;
        }

        Number of(ManagedStream s) {
            switch (this) {
                case BOUND: return boundOrMinusOne(s.effectiveBound());
                case LEARNED_BOUND: return boundOrMinusOne(s.learnedBound());
                case OFFERED: return s.counters().offered();
                case ADMITTED: return s.counters().admitted();
                case DROPPED: return s.counters().dropped();
                case STORED: return s.counters().stored();
                case THROTTLE_WAIT_MS: return s.counters().throttledNanos() / 1_000_000;
                case THROTTLE_OVERDUE: return s.overdueRecords();
                default: return s.counters().strategyErrors();
            }
        }
    }

    /** What the driver's estimator shows for a stream: {@code stream.<id>.estimator.<suffix>}. */
    enum DriverMeter {
        BOUND("bound"), BOUNDS_PUBLISHED("boundsPublished"), RECORDS("records"), LAST_BATCH_RECORDS("lastBatchRecords"),
        PROCESSING_RATE("processingRate"), SCHEDULING_DELAY_MS("schedulingDelayMs"),
        PROCESSING_DELAY_MS("processingDelayMs");

        final String suffix;

        DriverMeter(String suffix) {
            this.suffix = suffix;
        }

        Number of(DriverStream d) {
            switch (this) {
                case BOUND: return d.bound();
                case BOUNDS_PUBLISHED: return d.boundsPublished();
                case RECORDS: return d.recordsTotal();
                case LAST_BATCH_RECORDS: return d.lastBatchRecords();
                case PROCESSING_RATE: return d.processingRate();
                case SCHEDULING_DELAY_MS: return d.schedulingDelayMs();
                default: return d.processingDelayMs();
            }
        }
    }

    /**
     * What the driver shows for a stream whose batches it plans itself (a Kafka direct stream), from its first planned
     * batch on: {@code stream.<id>.direct.<suffix>}. {@code bound} and {@code admitted} mean what they mean for a
     * receiver's stream on an executor (the bound enforced now; records handed to Spark); under {@code direct.} because
     * in local mode one JVM holds both kinds of meters.
     */
    enum DirectMeter {
        BOUND("bound"), LAST_BATCH_ADMITTED("lastBatchAdmitted"), ADMITTED("admitted"), LAG("lag");

        final String suffix;

        DirectMeter(String suffix) {
            this.suffix = suffix;
        }

        Number of(PlannedAdmission p) {
            switch (this) {
                case BOUND: return p.bound();
                case LAST_BATCH_ADMITTED: return p.lastBatch();
                case ADMITTED: return p.total();
                default: return p.lag();
            }
        }
    }

    /** Bounds are doubles at the receiver (+infinity when none): a whole number of records/s, or -1. */
    static long boundOrMinusOne(double bound) {
        return Double.isNaN(bound) || Double.isInfinite(bound) ? -1 : Math.round(bound);
    }

    private static final class ExecutorReading implements Reading {
        private final int id;
        private final ExecutorMeter meter;

        ExecutorReading(int id, ExecutorMeter meter) {
            this.id = id;
            this.meter = meter;
        }

        @Override
        public Number read() {
            ManagedStream s = StreamGates.existing(id);
            return s == null ? Long.valueOf(-1) : meter.of(s);
        }
    }

    private static final class DirectReading implements Reading {
        private final int id;
        private final DirectMeter meter;

        DirectReading(int id, DirectMeter meter) {
            this.id = id;
            this.meter = meter;
        }

        @Override
        public Number read() {
            DriverStream d = driverStream(id);
            return d == null ? Long.valueOf(-1) : meter.of(d.planned());
        }
    }

    private static DriverStream driverStream(int id) {
        for (DriverStream d : DriverStreams.all()) {
            if (d.streamId() == id) {
                return d;
            }
        }
        return null;
    }

    private static final class DriverReading implements Reading {
        private final int id;
        private final DriverMeter meter;

        DriverReading(int id, DriverMeter meter) {
            this.id = id;
            this.meter = meter;
        }

        @Override
        public Number read() {
            DriverStream d = driverStream(id);
            return d == null ? Long.valueOf(-1) : meter.of(d);
        }
    }
}
