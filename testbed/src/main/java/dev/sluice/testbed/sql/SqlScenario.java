package dev.sluice.testbed.sql;

/**
 * The Structured Streaming scenario: a backlog at start, steady arrivals below capacity after it, and a cost spike
 * (rows written during it cost {@code spikeFactor} times as much) later in the run. Times count from the query's
 * start (the moment its first offset-log entry appears); arrivals and the spike are the writer's, so every mode gets
 * the same rows at the same times after its own start.
 *
 * @param workMicros   CPU per row outside the spike
 * @param backlogRows  rows readable before the query starts
 * @param arrivalsPerS rows per second written from the query's start on
 */
public record SqlScenario(String name, long triggerMs, int workMicros, long backlogRows, long arrivalsPerS,
                          int spikeFactor, int spikeStartS, int spikeSeconds, int querySeconds) {

    /** Executor cores of the test bed's local-cluster[2,1,1024]. */
    public static final int CORES = 2;

    /**
     * 2 ms per row on 2 cores: at most 1 000 rows/s. The backlog is 60 s of that ceiling, so at least 60 s of what the
     * job really processes (less than the ceiling: Spark's own work per batch and row, a shared machine). Arrivals
     * are an eighth of the ceiling; the spike triples the cost of the rows written from 85 s to 110 s.
     */
    public static final SqlScenario BACKLOG_SPIKE = new SqlScenario("backlog-spike", 2000, 2000, 60_000, 125, 3, 85,
            25, 150);

    /** Rows per second the executors' cores could run at {@code workMicros} with no other cost. */
    public long ceilingRowsPerS() {
        return CORES * 1_000_000L / workMicros;
    }

    public long spikeStartMs(long queryStartMs) {
        return queryStartMs + spikeStartS * 1000L;
    }

    public long spikeEndMs(long queryStartMs) {
        return spikeStartMs(queryStartMs) + spikeSeconds * 1000L;
    }

    public String describe() {
        return String.format("%s: trigger %d ms, %d µs of CPU per row (ceiling %d rows/s on %d cores), backlog %d rows "
                        + "at start, then %d rows/s; rows written from %d s to %d s after the query's start cost %dx; "
                        + "the query runs %d s", name, triggerMs, workMicros, ceilingRowsPerS(), CORES, backlogRows,
                arrivalsPerS, spikeStartS, spikeStartS + spikeSeconds, spikeFactor, querySeconds);
    }
}
