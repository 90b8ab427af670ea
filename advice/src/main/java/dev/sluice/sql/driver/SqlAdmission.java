package dev.sluice.sql.driver;

import dev.sluice.rate.EstimatorSettings;
import dev.sluice.rate.RateEstimator;
import dev.sluice.rate.RateEstimators;
import dev.sluice.runtime.EstimatorFactory;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;
import org.apache.spark.sql.connector.read.streaming.ReadAllAvailable;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxFiles;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.execution.streaming.ProcessingTimeTrigger;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the Structured Streaming advice calls, on the query's stream thread.
 *
 * <p><b>Feedback: the progress object, read synchronously at the next planning</b>, not a StreamingQueryListener. The
 * engine finishes a trigger (and sets {@code lastProgress}) before it plans the next one on the same thread, so at
 * {@code constructNextBatch} the previous batch's rows and duration are always there; listener events arrive on the
 * listener bus thread, possibly after the next batch was planned, and a listener would have to be registered on each
 * session's query manager (a stream runs in a cloned session). The query is reached through the public
 * {@code StreamingQuery} interface the execution implements in every line (3.5: {@code StreamExecution implements
 * StreamingQuery}; 4.1: via {@code classic.StreamingQuery}); {@code trigger()} and {@code uniqueSources()} are read by
 * reflection once per run, because their class moved package in 4.1.
 *
 * <p><b>What is governed:</b> processing-time triggers (the default trigger, {@code ProcessingTime(0)}, aims at
 * {@code sluice.sql.defaultTriggerTarget}), unless {@code sluice.query.<name>.enabled=false}; Kafka v2 sources whose limit is "all
 * available" or {@code maxOffsetsPerTrigger}, given {@code ReadLimit.maxRows}; file sources whose limit is "all
 * available" or {@code maxFilesPerTrigger}, given {@code ReadLimit.maxFiles}, and those with {@code maxBytesPerTrigger}
 * (4.0+), given {@code ReadLimit.maxBytes} where the source's {@code takeFilesUntilMax} reports the bytes it takes. The
 * user's value is the ceiling. Each
 * source gets only the kind it already accepts (the file source has no default case for another kind: a
 * {@code MatchError}), decided by the source's class name; any other class keeps its limit as passed. Everything else
 * keeps Spark's limit, with one line per query run (or per source).
 */
public final class SqlAdmission {

    public static final String ENABLED_KEY = "sluice.sql.enabled";
    /** The Kafka v2 micro-batch source, matched by name (the connector may sit in a child class loader). */
    public static final String KAFKA_V2 = "org.apache.spark.sql.kafka010.KafkaMicroBatchStream";
    /**
     * The Kafka v1 source (DSv1 {@code Source}, used when {@code spark.sql.streaming.disabledV2MicroBatchReaders} names
     * the Kafka provider): the same {@code latestOffset(Offset, ReadLimit)} and the same limit kinds as v2.
     */
    public static final String KAFKA_V1 = "org.apache.spark.sql.kafka010.KafkaSource";
    /** The file source ({@code format("json"/"csv"/"text"/"parquet"...).load(dir)}), before and after 4.1's move. */
    public static final String FILE_SOURCE = "org.apache.spark.sql.execution.streaming.FileStreamSource";
    public static final String FILE_SOURCE_41 = "org.apache.spark.sql.execution.streaming.runtime.FileStreamSource";
    static final List<String> FILE_SOURCES = Collections.unmodifiableList(Arrays.asList(FILE_SOURCE, FILE_SOURCE_41));
    static final String PROCESSING_TIME = "org.apache.spark.sql.execution.streaming.ProcessingTimeTrigger";

    private static final Object LEFT_ALONE = new Object();
    private static final ThreadLocal<QueryAdmission> CURRENT = new ThreadLocal<QueryAdmission>();
    /** Per query run (the execution object); weak: a stopped query's state goes with it. */
    private static final Map<Object, Object> RUNS = Collections.synchronizedMap(new WeakHashMap<Object, Object>());
    private static final AtomicLong ERRORS = new AtomicLong();
    private static final Consumer<String> INFO = new Consumer<String>() {
        @Override
        public void accept(String line) {
            SluiceLog.info(line);
        }
    };

    private SqlAdmission() {
    }

    /** {@code constructNextBatch} entry: feed the previous batch, make the query current for this thread. */
    public static void planning(Object execution) {
        CURRENT.remove();
        try {
            SluiceRuntime.hookFired();
            if (!SluiceRuntime.settings().getBoolean(ENABLED_KEY, true)) {
                return;
            }
            Object run = RUNS.get(execution);
            if (run == null) {
                run = start(execution);
                RUNS.put(execution, run);
            }
            if (run instanceof QueryAdmission) {
                QueryAdmission query = (QueryAdmission) run;
                feed(query, ((StreamingQuery) execution).lastProgress());
                CURRENT.set(query);
            }
        } catch (Throwable t) {
            failed("planning", t);
        }
    }

    /** {@code constructNextBatch} exit, normal or not. */
    public static void planned() {
        CURRENT.remove();
    }

    /** {@code latestOffset(start, limit)} entry: the limit to use instead of {@code limit}. */
    public static ReadLimit limitFor(Object source, ReadLimit limit) {
        return limitFor(CURRENT.get(), source, limit, false);
    }

    /**
     * {@code latestOffset(start, limit)} entry of a file source whose {@code takeFilesUntilMax} is advised too
     * ({@link #filesTaken} reports what each bytes-limited batch took): a {@code maxBytesPerTrigger} is governed as well.
     */
    public static ReadLimit limitWithBytesFor(Object source, ReadLimit limit) {
        return limitFor(CURRENT.get(), source, limit, true);
    }

    static ReadLimit limitFor(QueryAdmission query, Object source, ReadLimit limit, boolean bytesReported) {
        if (query == null) {
            return limit; // not inside a governed query's planning (AvailableNow's prefetch, another trigger kind)
        }
        return limitFor(query, source, SourceKind.of(source.getClass().getName()), limit, bytesReported);
    }

    /**
     * {@code FileStreamSource.takeFilesUntilMax} exit (a bytes-limited planning): {@code split} is its
     * {@code (FilesSplit taken, FilesSplit rest)}; the bytes taken teach the rows per byte, the rest is the backlog.
     */
    public static void filesTaken(Object source, Object split) {
        QueryAdmission query = CURRENT.get();
        if (query == null) {
            return;
        }
        try {
            scala.Tuple2<?, ?> sides = (scala.Tuple2<?, ?>) split;
            query.bytesTaken(source, FilesSplitSize.of(sides._1()), FilesSplitSize.of(sides._2()));
        } catch (Throwable t) {
            failed("takeFilesUntilMax", t);
        }
    }

    /** The governed source kinds, by the source's class name; what the limit may be rewritten to depends on it. */
    enum SourceKind {
        /** Kafka v2 and v1: accept maxRows. */
        KAFKA,
        /** FileStreamSource: accepts maxFiles, and maxBytes from 4.0 (governed where the source reports its bytes). */
        FILES,
        /** Anything else: its limit is never touched. */
        OTHER;

        static SourceKind of(String className) {
            return KAFKA_V2.equals(className) || KAFKA_V1.equals(className) ? KAFKA
                    : FILE_SOURCES.contains(className) ? FILES : OTHER;
        }
    }

    static ReadLimit limitFor(QueryAdmission query, Object source, SourceKind kind, ReadLimit limit) {
        return limitFor(query, source, kind, limit, false);
    }

    static ReadLimit limitFor(QueryAdmission query, Object source, SourceKind kind, ReadLimit limit,
                              boolean bytesReported) {
        if (query == null || kind == SourceKind.OTHER) {
            return limit;
        }
        try {
            return kind == SourceKind.FILES ? filesLimit(query, source, limit, bytesReported)
                    : rowsLimit(query, source, limit);
        } catch (Throwable t) {
            failed("latestOffset", t);
            return limit;
        }
    }

    /** A Kafka source's limit: "all available" or maxRows become maxRows(n); min and composite limits are kept. */
    private static ReadLimit rowsLimit(QueryAdmission query, Object source, ReadLimit limit) {
        long cap;
        if (limit instanceof ReadAllAvailable) {
            cap = RowLimit.NO_CAP;
        } else if (limit instanceof ReadMaxRows) {
            cap = ((ReadMaxRows) limit).maxRows();
        } else {
            if (query.leaveAlone(source)) {
                SluiceLog.info("query " + query.label() + ", source " + source + " left alone: its limit "
                        + limit + " (minOffsetsPerTrigger, or a composite) is kept as set; Sluice governs only "
                        + "\"all available\" and maxOffsetsPerTrigger");
            }
            return limit;
        }
        long rows = query.maxRows(source, String.valueOf(source), cap);
        return rows < 0 ? limit : ReadLimit.maxRows(rows);
    }

    /**
     * A file source's limit: "all available" or maxFiles become maxFiles(n); maxBytes (4.0+) becomes maxBytes(n) where
     * the source reports the bytes it takes ({@code bytesReported}), else it is kept as set.
     */
    private static ReadLimit filesLimit(QueryAdmission query, Object source, ReadLimit limit, boolean bytesReported)
            throws ReflectiveOperationException {
        int cap;
        if (limit instanceof ReadAllAvailable) {
            cap = FileLimit.NO_CAP;
        } else if (limit instanceof ReadMaxFiles) {
            cap = ((ReadMaxFiles) limit).maxFiles();
        } else if (bytesReported && MaxBytesLimit.is(limit)) {
            long bytes = query.maxBytes(source, String.valueOf(source), MaxBytesLimit.bytesOf(limit));
            return bytes < 0 ? limit : MaxBytesLimit.of(bytes);
        } else {
            if (query.leaveAlone(source)) {
                SluiceLog.info("query " + query.label() + ", source " + source + " left alone: its limit " + limit
                        + (MaxBytesLimit.is(limit) ? " (maxBytesPerTrigger, and this source's takeFilesUntilMax is "
                        + "not advised: see the start-up line)" : " (a kind Sluice does not know)")
                        + " is kept as set; Sluice governs only \"all available\", maxFilesPerTrigger and "
                        + "maxBytesPerTrigger");
            }
            return limit;
        }
        int files = query.maxFiles(source, String.valueOf(source), cap);
        return files < 0 ? limit : ReadLimit.maxFiles(files);
    }

    /** QueryAdmission for a governed run, else LEFT_ALONE after one line saying why. */
    static Object start(Object execution) throws Exception {
        final StreamingQuery query = (StreamingQuery) execution;
        String label = "'" + query.name() + "' (run " + query.runId() + ")";
        Object trigger = execution.getClass().getMethod("trigger").invoke(execution);
        String triggerName = trigger == null ? "null" : trigger.getClass().getName();
        if (!PROCESSING_TIME.equals(triggerName)) {
            SluiceLog.info("query " + label + " left alone: trigger " + trigger + "; Sluice governs "
                    + "processing-time triggers only (Once, AvailableNow and continuous queries keep Spark's limits)");
            return LEFT_ALONE;
        }
        final RuntimeSettings settings = SluiceRuntime.settings();
        Function<String, String> lookup = new Function<String, String>() {
            @Override
            public String apply(String key) {
                return settings.get(key, null);
            }
        };
        if (QueryOptions.disabled(query.name(), lookup)) {
            SluiceLog.info("query " + label + " left alone: " + QueryOptions.queryKey(query.name(),
                    QueryOptions.ENABLED) + "=false");
            return LEFT_ALONE;
        }
        long intervalMs = ((ProcessingTimeTrigger) trigger).intervalMs();
        QueryOptions options = QueryOptions.resolve(query.name(), Math.max(0, intervalMs), lookup);
        List<String> others = otherSources(execution);
        if (others == null || !others.isEmpty()) {
            SluiceLog.info("query " + label + ": sources left alone (only Kafka and file sources are governed): "
                    + (others == null ? "(could not list the sources)" : others));
        }
        double safeStart = RowLimit.safeStartRate(settings.getDouble("sluice.rate.initial", Double.NaN),
                settings.getDouble("sluice.rate.min", 100));
        QueryAdmission admission = new QueryAdmission(label, QueryStatus.keyOf(query.name(), String.valueOf(query.id())),
                options, safeStart, estimator(options.targetMs), INFO);
        QueryRuns.started(admission, new BooleanSupplier() {
            @Override
            public boolean getAsBoolean() {
                return query.isActive();
            }
        });
        return admission;
    }

    /** The query's sources Sluice does not govern, by class name; null when they cannot be listed. */
    private static List<String> otherSources(Object execution) {
        try {
            Method uniqueSources = execution.getClass().getMethod("uniqueSources");
            scala.collection.Iterator<?> keys =
                    ((scala.collection.immutable.Map<?, ?>) uniqueSources.invoke(execution)).keysIterator();
            List<String> others = new ArrayList<String>();
            while (keys.hasNext()) {
                Object source = keys.next();
                if (SourceKind.of(source.getClass().getName()) == SourceKind.OTHER) {
                    others.add(source.getClass().getName() + " " + source);
                }
            }
            return others;
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** The DStream side's estimator, from the same factory (sluice.estimator, sluice.rate.*, sluice.pid.*). */
    private static RateEstimator estimator(long intervalMs) {
        EstimatorFactory factory = SluiceRuntime.estimatorFactory();
        return factory != null ? factory.create(intervalMs, new int[0])
                : RateEstimators.create(EstimatorSettings.builder(intervalMs).build());
    }

    static void feed(QueryAdmission query, StreamingQueryProgress progress) {
        if (progress == null) {
            return;
        }
        SourceProgress[] sources = progress.sources();
        QueryAdmission.ProgressSource[] fed = new QueryAdmission.ProgressSource[sources.length];
        for (int i = 0; i < sources.length; i++) {
            SourceProgress s = sources[i];
            fed[i] = new QueryAdmission.ProgressSource(s.description(), s.numInputRows(), s.startOffset(),
                    s.endOffset(), s.latestOffset());
        }
        long duration = progress.batchDuration();
        query.completed(progress.batchId(), startMs(progress.timestamp(), duration), duration, fed);
    }

    /** The trigger's start from progress' ISO-8601 timestamp; else now minus the duration. */
    static long startMs(String timestamp, long durationMs) {
        try {
            return java.time.Instant.parse(timestamp).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis() - Math.max(0, durationMs);
        }
    }

    private static void failed(String where, Throwable t) {
        long n = ERRORS.incrementAndGet();
        if (n == 1 || n % 100 == 0) {
            SluiceLog.warn("Structured Streaming admission failed in " + where + " (" + n + " so far); "
                    + "that trigger keeps Spark's limit", t);
        }
    }

    /** Failures so far (each left that trigger with Spark's own limit). */
    public static long errors() {
        return ERRORS.get();
    }
}
