package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.ClusterJobLauncher;
import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/** Runs the scenario's query on one source in one mode. */
public abstract class SqlSourceRunner {

    protected final SqlJob job;
    private final String source;

    /** @param source the source's name on the command line */
    protected SqlSourceRunner(SqlJob job, String source) {
        this.job = job;
        this.source = source;
    }

    /** The source's name on the command line ({@code sql-files}, {@code sql-kafka}). */
    public final String source() {
        return source;
    }

    /** The job argument of the static mode's limit for a capacity, e.g. {@code maxFilesPerTrigger=16}. */
    public abstract String staticLimit(double capacityRowsPerS);

    /** A line for the report's header: what the query reads and how it is fed. */
    public abstract String describe();

    /**
     * @param limit  the static limit's job argument, or null for none
     * @param runDir the run's directory (emptied first)
     */
    public SqlRunData run(SqlMode mode, String limit, Path runDir) {
        SqlJob.emptyDir(runDir);
        try {
            return runIn(mode, limit, runDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    protected abstract SqlRunData runIn(SqlMode mode, String limit, Path runDir)
            throws IOException, InterruptedException;

    /**
     * Runs the job while {@code writer} writes its input on a thread of its own from the query's start (it is given
     * the start, epoch ms); stops the writer when the job ends.
     *
     * @param queryCheckpoint where the query's {@code offsets/0} appears when it starts
     * @param queryStart      set to the query's start as seen here, -1 if it never started
     */
    protected RunResult launch(LaunchSpec spec, Path queryCheckpoint, AtomicLong queryStart,
                               java.util.function.LongConsumer writer) throws InterruptedException {
        Thread t = new Thread(() -> {
            long start = QueryStart.await(queryCheckpoint, System.currentTimeMillis() + job.launchSeconds() * 1000L);
            queryStart.set(start);
            if (start >= 0) {
                writer.accept(start);
            }
        }, source() + "-writer");
        t.setDaemon(true);
        t.start();
        try {
            return ClusterJobLauncher.run(spec);
        } finally {
            t.interrupt();
            t.join(10_000);
        }
    }

    protected static SqlRunData data(SqlMode mode, String limit, RunResult result, List<SqlBatch> batches,
                                     long queryStart, LongUnaryOperator readableBy, long written,
                                     SqlRunData.SpikeRows spikeRows, SinkAudit audit) {
        return new SqlRunData(mode, limit == null ? "none" : limit, result, batches, queryStart, readableBy, written,
                spikeRows, audit, queryStart < 0 ? "the runner never saw the query start (no offsets/0)" : "");
    }
}
