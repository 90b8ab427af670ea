package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.LaunchSpec;
import dev.sluice.testbed.cluster.RunResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code sql-files} source: the examples' FileStructuredJob (JSON files, parquet sink) reading a directory this
 * runner fills. File {@code n} holds the ids {@code n*20 .. n*20+19}; a file written during the spike says the raised
 * cost in each line ({@code "micros"}, the job's {@code rowCost=true}). The sink check compares the ids the job read
 * back from its sink with the ids of the files the committed batches took (per the file source's log).
 */
public final class SqlFilesRunner extends SqlSourceRunner {

    static final int ROWS_PER_FILE = 20;
    static final String JOB = "dev.sluice.examples.files.FileStructuredJob";

    public SqlFilesRunner(SqlJob job) {
        super(job, "sql-files");
    }

    @Override
    public String staticLimit(double capacityRowsPerS) {
        return "maxFilesPerTrigger=" + StaticLimit.files(capacityRowsPerS, job.scenario().triggerMs(), ROWS_PER_FILE);
    }

    @Override
    public String describe() {
        return "Source sql-files: the examples' FileStructuredJob (Spark's JSON file source, parquet sink, checkpoint) "
                + "reading files of " + ROWS_PER_FILE + " rows the runner renames into the input directory";
    }

    @Override
    protected SqlRunData runIn(SqlMode mode, String limit, Path runDir) throws IOException, InterruptedException {
        SqlScenario s = job.scenario();
        Path in = Files.createDirectories(runDir.resolve("in"));
        Path out = Files.createDirectories(runDir.resolve("job-out"));
        Path sink = runDir.resolve("sink");
        Path checkpoint = runDir.resolve("checkpoint");
        Path queryCheckpoint = checkpoint.resolve("files");
        Arrivals arrivals = new Arrivals();
        long backlogFiles = s.backlogRows() / ROWS_PER_FILE;
        for (long n = 0; n < backlogFiles; n++) {
            write(in, n, s.workMicros());
            arrivals.add(System.currentTimeMillis(), ROWS_PER_FILE);
        }
        List<String> args = new ArrayList<>(List.of("in=" + in, "sink=" + sink, "out=" + out,
                "duration=" + s.querySeconds(), "workMicros=" + s.workMicros(), "triggerMs=" + s.triggerMs(),
                "rowCost=true"));
        if (limit != null) {
            args.add(limit);
        }
        LaunchSpec spec = SqlLaunch.builder(job.home(), job.examplesJar(), SqlJars.sqlOnly(job.home()), JOB,
                checkpoint, job.launchSeconds(), runDir, job.agentFor(mode)).appArgs(args).build();
        AtomicLong next = new AtomicLong(backlogFiles);
        AtomicLong queryStart = new AtomicLong(-1);
        long[] spikeFiles = {0, 0};
        RunResult result = launch(spec, queryCheckpoint, queryStart,
                start -> feed(in, start, next, arrivals, spikeFiles));
        return data(mode, limit, result, ProgressLog.read(out.resolve("progress.csv")), queryStart.get(),
                arrivals::by, arrivals.total(),
                new SqlRunData.SpikeRows(spikeFiles[0] * ROWS_PER_FILE, spikeFiles[1] * ROWS_PER_FILE),
                audit(queryCheckpoint, sink, out, next.get()));
    }

    /**
     * From the query's start: a file every {@code 20 / arrivals} seconds, at the spike's cost during the spike.
     *
     * @param spikeFiles set to the first spike file's number and the one after the last's
     */
    private void feed(Path in, long start, AtomicLong next, Arrivals arrivals, long[] spikeFiles) {
        SqlScenario s = job.scenario();
        double periodMs = 1000.0 * ROWS_PER_FILE / s.arrivalsPerS();
        long spikeStart = s.spikeStartMs(start);
        long spikeEnd = s.spikeEndMs(start);
        for (long k = 1; !Thread.currentThread().isInterrupted(); k++) {
            if (!SqlJob.sleepUntil(start + Math.round(k * periodMs))) {
                return;
            }
            long now = System.currentTimeMillis();
            boolean spike = now >= spikeStart && now < spikeEnd;
            int micros = spike ? s.workMicros() * s.spikeFactor() : s.workMicros();
            if (spike && spikeFiles[1] == 0) {
                spikeFiles[0] = next.get();
            }
            if (spike) {
                spikeFiles[1] = next.get() + 1;
            }
            try {
                write(in, next.get(), micros);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            arrivals.add(System.currentTimeMillis(), ROWS_PER_FILE);
            next.incrementAndGet();
        }
    }

    /** File {@code n}, written beside and renamed in (Spark skips names starting with a dot). */
    static void write(Path in, long n, int micros) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            text.append("{\"id\":").append(n * ROWS_PER_FILE + i).append(",\"micros\":").append(micros).append("}\n");
        }
        Path tmp = in.resolve(String.format(".part-%06d.json.tmp", n));
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, in.resolve(String.format("part-%06d.json", n)), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The sink against the files: expected are the ids of every file (of the {@code written} the runner wrote) that
     * the file source's log assigns to a batch up to the sink's last committed one.
     */
    private static SinkAudit audit(Path queryCheckpoint, Path sink, Path out, long written) throws IOException {
        long lastCommitted = CheckpointLogs.lastBatch(sink.resolve("_spark_metadata"));
        long lastLogBatch = lastCommitted < 0 ? -1
                : CheckpointLogs.logOffset(CheckpointLogs.offsetEntry(queryCheckpoint, lastCommitted));
        List<Long> expected = new ArrayList<>();
        for (Map.Entry<Long, Long> f : CheckpointLogs.filesTaken(queryCheckpoint).entrySet()) {
            if (f.getValue() <= lastLogBatch && f.getKey() < written) {
                for (int i = 0; i < ROWS_PER_FILE; i++) {
                    expected.add(f.getKey() * ROWS_PER_FILE + i);
                }
            }
        }
        Path idsFile = out.resolve("sink-ids.txt");
        long[] held = Files.exists(idsFile) ? Files.readAllLines(idsFile, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).mapToLong(l -> Long.parseLong(l.trim())).toArray() : new long[0];
        return SinkAudit.of(expected.stream().mapToLong(Long::longValue).toArray(), held);
    }
}
