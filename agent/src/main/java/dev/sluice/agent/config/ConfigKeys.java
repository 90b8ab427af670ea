package dev.sluice.agent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration key Sluice reads, declared once. The README's table is generated from these declarations
 * ({@link ConfigDoc}); the runtime reads the same names.
 */
public final class ConfigKeys {

    public static final ConfigKey CONFIG = ConfigKey.path("sluice.config", "a readable properties file",
            "Properties file to read the other keys from (same as the agent argument `config=/path`).");
    public static final ConfigKey ENABLED = ConfigKey.bool("sluice.enabled", true,
            "Master switch: false leaves Spark uninstrumented.");
    public static final ConfigKey SQL_ENABLED = ConfigKey.bool("sluice.sql.enabled", true,
            "Structured Streaming (Kafka v2 and v1 and file sources of micro-batch queries, processing-time and "
                    + "default triggers): each trigger's read limit computed from feedback, the user's `maxOffsetsPerTrigger`, "
                    + "`maxFilesPerTrigger` or `maxBytesPerTrigger` kept as the ceiling; other queries and sources are left alone. Read at JVM "
                    + "start.");
    public static final ConfigKey SQL_DEFAULT_TRIGGER_TARGET = ConfigKey.duration("sluice.sql.defaultTriggerTarget",
            "1s", "10ms", false,
            "The batch duration Sluice aims at for a query with the default trigger (no interval, "
                    + "`ProcessingTime(0)`: batches back to back), which has no interval of its own; its first batch is "
                    + "bounded by the safe start like any other (`sluice.rate.min` x this).");
    public static final ConfigKey SQL_TARGET_SHARE = ConfigKey.share("sluice.sql.targetShare", "1.0",
            "Share of the trigger interval (of `sluice.sql.defaultTriggerTarget` for the default trigger) each "
                    + "Structured Streaming batch is sized to take; lower leaves headroom for other work on the "
                    + "cluster. Per query: `sluice.query.<name>.targetShare`.");
    public static final ConfigKey STRATEGY = ConfigKey.strategy("sluice.strategy", "throttle",
            "What receivers do with records above the bound: `throttle` blocks the storing thread (loses nothing), "
                    + "`drop` discards the excess, `sample` keeps a uniform sample that fits the bound, or a class "
                    + "implementing the public SPI.");
    public static final ConfigKey ESTIMATOR = ConfigKey.choice("sluice.estimator", "adaptive",
            "How the driver computes bounds: `adaptive` (acts at batch submission and completion) or `pid` "
                    + "(Spark's PID per stream).", "adaptive", "pid");
    public static final ConfigKey RATE_INITIAL = ConfigKey.positiveNumber("sluice.rate.initial", "",
            "Bound (records/s per stream) published when the StreamingContext starts; unset: the slow start "
                    + "(`sluice.rate.slowStart`).");
    public static final ConfigKey RATE_SLOW_START = ConfigKey.bool("sluice.rate.slowStart", true,
            "Without `sluice.rate.initial`, each stream starts at `sluice.rate.min` and its bound grows while batches "
                    + "finish in time: a receiver's up to eightfold per batch until a batch nears the interval, then at "
                    + "most twofold (a Kafka direct stream's at most twofold throughout), so a cold job under overload "
                    + "queues no backlog before the first evidence. `false`: the first batch runs unbounded and measures (`drop`/`sample` then "
                    + "shed nothing at start). `adaptive` estimator only.");
    public static final ConfigKey RATE_MIN = ConfigKey.positiveNumber("sluice.rate.min", "100",
            "Lowest bound the estimator publishes, records/s (Spark's minRate default is 100).");
    public static final ConfigKey RATE_MAX = ConfigKey.positiveNumber("sluice.rate.max", "",
            "Highest bound the estimator publishes, records/s; unset: no maximum.");
    public static final ConfigKey PID_P = ConfigKey.number("sluice.pid.proportional", "1.0", 0,
            "PID proportional gain (Spark's default 1.0).");
    public static final ConfigKey PID_I = ConfigKey.number("sluice.pid.integral", "0.2", 0,
            "PID integral gain (Spark's default 0.2).");
    public static final ConfigKey PID_D = ConfigKey.number("sluice.pid.derivative", "0.0", 0,
            "PID derivative gain (Spark's default 0.0).");
    public static final ConfigKey RELIABLE_ALLOW_LOSS = ConfigKey.bool("sluice.reliable.allowLoss", false,
            "Allow `drop`/`sample` (or a lossy custom strategy) on reliable receivers (stores with metadata, receiver "
                    + "WAL on); otherwise they are refused with a warning and throttle is used.");
    public static final ConfigKey FAIL_ON_ERROR = ConfigKey.bool("sluice.failOnError", false,
            "Exit the JVM when the configuration is invalid, instead of running uninstrumented.");
    public static final ConfigKey SEED = ConfigKey.anyInteger("sluice.seed", "",
            "Seed for sampling decisions (reproducible runs); unset: random.");
    public static final ConfigKey BYTES_PER_RECORD = ConfigKey.integer("sluice.bytes.perRecord", "", 1,
            "`store(ByteBuffer)` weighs max(1, remaining bytes / this) records when throttled; unset: one record per "
                    + "buffer. ByteBuffers are never cut, only throttled.");
    public static final ConfigKey BULK_COALESCE = ConfigKey.bool("sluice.bulk.coalesce", true,
            "Under a strategy that may discard and while the stream is congested, the kept records of a "
                    + "`store(Iterator)` call (no metadata) go through the receiver's BlockGenerator, one block per block "
                    + "interval, instead of one small block per call; the call then returns before its records are in a "
                    + "block, as `store(single)` does. `false`: every call keeps its own block.");
    public static final ConfigKey ADVICE_MAX_ERRORS = ConfigKey.integer("sluice.advice.maxErrors", "100", 1,
            "Circuit breaker: after this many contained errors in one hook (e.g. `store(single)`) in one JVM, that hook "
                    + "becomes a pass-through for the JVM's life (Spark runs unadvised there and its records are no "
                    + "longer counted), logged once; a persistent failure then costs nothing per record.");
    public static final ConfigKey THROTTLE_MAX_WAIT = ConfigKey.duration("sluice.throttle.maxWait", "30s",
            "Longest a single throttle wait lasts (a bulk store waits about size / bound). At the deadline the records "
            + "still waiting are stored over the bound, never lost, and counted (sluice.throttle.overdue); waits also "
            + "end when the receiver stops. 0: no deadline.");
    public static final ConfigKey STRATEGY_DEADLINE = ConfigKey.duration("sluice.userStrategy.deadline", "60s",
            "Longest a call into a user strategy (a class named by `sluice.strategy` or declared by the receiver) may "
            + "run. At the deadline the call is interrupted, counted as a strategy error, its records are stored (not "
            + "lost) and the stream throttles from then on; a call that ignores the interrupt holds only its own "
            + "thread. Keep it above sluice.throttle.maxWait if the strategy waits on Budget.acquire. Built-ins are not "
            + "bounded by it. 0: no deadline.");
    public static final ConfigKey GUARD_ENABLED = ConfigKey.bool("sluice.guard.enabled", true,
            "Executor memory guard: tightens the local bound when heap after GC or storage memory is stressed.");
    public static final ConfigKey GUARD_HEAP_STRESS = ConfigKey.fraction("sluice.guard.heap.stress", "0.85",
            "Heap-after-GC fraction of max heap above which the guard tightens.");
    public static final ConfigKey GUARD_HEAP_RELIEF = ConfigKey.fraction("sluice.guard.heap.relief", "0.70",
            "Heap-after-GC fraction below which the guard relaxes again (hysteresis).");
    public static final ConfigKey GUARD_STORAGE_STRESS = ConfigKey.fraction("sluice.guard.storage.stress", "0.85",
            "Used fraction of the block manager's on-heap storage memory above which the guard tightens.");
    public static final ConfigKey GUARD_STORAGE_RELIEF = ConfigKey.fraction("sluice.guard.storage.relief", "0.70",
            "Used storage-memory fraction below which the guard relaxes again.");
    public static final ConfigKey GUARD_INTERVAL = ConfigKey.duration("sluice.guard.interval", "50ms", "1ms", false,
            "How often the guard samples memory (keep it below the block interval).");
    public static final ConfigKey GUARD_FLOOR = ConfigKey.fraction("sluice.guard.floor", "0.05",
            "Smallest factor the guard applies to the bound (it halves the factor per tick under stress).");
    public static final ConfigKey METRICS_JMX = ConfigKey.bool("sluice.metrics.jmx", true,
            "Also expose Sluice's meters over JMX in domain `sluice` (the gauges of its Spark metrics source `sluice`), "
                    + "with no Spark configuration.");
    public static final ConfigKey METRICS_LOG_INTERVAL = ConfigKey.duration("sluice.metrics.logInterval", "10s", "1s", true,
            "Period of the one-line summary per stream in the Spark log; 0 turns it off.");
    public static final ConfigKey METRICS_FILE = ConfigKey.path("sluice.metrics.file", "a writable directory",
            "Directory for the CSV sink: each JVM appends one line per stream per second to "
                    + "`sluice-<driver|executor>-<pid>.csv` (format in agent/README.md); unset: off.");
    public static final ConfigKey METRICS_DROP_WARN_SHARE = ConfigKey.fraction("sluice.metrics.dropWarnShare", "0.5",
            "A WARN in the executor's log when a stream drops more than this share of its offered records over one "
                    + "`sluice.metrics.logInterval` (10 s when that is 0); at most one per stream every 5 minutes. "
                    + "1 turns it off.");

    /**
     * Per Structured Streaming query, by the query's name ({@code queryName(...)}): the templates the README documents;
     * {@link #QUERY_KEY} recognises them with any name (dots included). Not read from the environment (query names
     * are case-sensitive).
     */
    public static final ConfigKey QUERY_ENABLED = ConfigKey.bool("sluice.query.<name>.enabled", true,
            "`false` leaves the Structured Streaming query of this name alone (Spark's own limits, no meters).");
    public static final ConfigKey QUERY_TARGET_SHARE = ConfigKey.share("sluice.query.<name>.targetShare",
            "value of sluice.sql.targetShare", "Share of the trigger interval this query's batches are sized to take.");
    public static final ConfigKey QUERY_MAX_ROWS = ConfigKey.integer("sluice.query.<name>.maxRowsPerTrigger", "", 1,
            "Most rows each governed source of this query may admit per trigger (for a file source, the rows its file "
                    + "limit stands for), under the source's own `maxOffsetsPerTrigger` / `maxFilesPerTrigger`; "
                    + "unset: no ceiling beyond those.");
    public static final Pattern QUERY_KEY =
            Pattern.compile("sluice\\.query\\.(.+)\\.(enabled|targetShare|maxRowsPerTrigger)");
    private static final List<ConfigKey> QUERY_KEYS =
            Collections.unmodifiableList(java.util.Arrays.asList(QUERY_ENABLED, QUERY_TARGET_SHARE, QUERY_MAX_ROWS));

    /** Per-stream strategy: {@code sluice.stream.<id>.strategy}. */
    public static final Pattern STREAM_STRATEGY = Pattern.compile("sluice\\.stream\\.(\\d+)\\.strategy");
    /** Free-form strategy parameters, global and per stream. */
    public static final Pattern STRATEGY_PARAM = Pattern.compile("sluice\\.strategy\\.([A-Za-z0-9_.-]+)");
    public static final Pattern STREAM_STRATEGY_PARAM =
            Pattern.compile("sluice\\.stream\\.(\\d+)\\.strategy\\.([A-Za-z0-9_.-]+)");

    private static final Map<String, ConfigKey> BY_NAME;

    static {
        Map<String, ConfigKey> m = new LinkedHashMap<>();
        for (ConfigKey k : new ConfigKey[] {CONFIG, ENABLED, SQL_ENABLED, SQL_DEFAULT_TRIGGER_TARGET, SQL_TARGET_SHARE,
                STRATEGY, ESTIMATOR, RATE_INITIAL,
                RATE_SLOW_START, RATE_MIN, RATE_MAX, PID_P, PID_I, PID_D, RELIABLE_ALLOW_LOSS, FAIL_ON_ERROR, SEED,
                BYTES_PER_RECORD, BULK_COALESCE, ADVICE_MAX_ERRORS, THROTTLE_MAX_WAIT, STRATEGY_DEADLINE, GUARD_ENABLED,
                GUARD_HEAP_STRESS, GUARD_HEAP_RELIEF, GUARD_STORAGE_STRESS, GUARD_STORAGE_RELIEF, GUARD_INTERVAL,
                GUARD_FLOOR, METRICS_JMX, METRICS_LOG_INTERVAL, METRICS_FILE, METRICS_DROP_WARN_SHARE}) {
            m.put(k.name, k);
        }
        BY_NAME = Collections.unmodifiableMap(m);
    }

    private ConfigKeys() {
    }

    public static List<ConfigKey> all() {
        return new ArrayList<>(BY_NAME.values());
    }

    public static ConfigKey byName(String name) {
        return BY_NAME.get(name);
    }

    /** The per-query key templates ({@code sluice.query.<name>.*}). */
    public static List<ConfigKey> queryKeys() {
        return QUERY_KEYS;
    }

    /**
     * Checks one key and value.
     *
     * @return null when acceptable, else the "allowed" text to put in the error message
     */
    static String check(String key, String value) {
        ConfigKey declared = BY_NAME.get(key);
        if (declared != null) {
            return declared.check(value);
        }
        if (STREAM_STRATEGY.matcher(key).matches()) {
            return STRATEGY.check(value) == null ? null : STRATEGY.allowed;
        }
        Matcher query = QUERY_KEY.matcher(key);
        if (query.matches()) {
            for (ConfigKey template : QUERY_KEYS) {
                if (template.name.endsWith("." + query.group(2))) {
                    return template.check(value);
                }
            }
        }
        Matcher streamParam = STREAM_STRATEGY_PARAM.matcher(key);
        if (streamParam.matches() || STRATEGY_PARAM.matcher(key).matches()) {
            return null; // free-form: the strategy reads and validates its own parameters
        }
        return "a known key (" + String.join(", ", BY_NAME.keySet())
                + ", sluice.stream.<id>.strategy, sluice.strategy.<param>, sluice.stream.<id>.strategy.<param>, "
                + "sluice.query.<name>.enabled|targetShare|maxRowsPerTrigger)";
    }

    /** The environment variable for a key: upper case, '.' becomes '_' (SLUICE_RATE_MIN). */
    public static String envName(String key) {
        return key.toUpperCase(java.util.Locale.ROOT).replace('.', '_');
    }
}
