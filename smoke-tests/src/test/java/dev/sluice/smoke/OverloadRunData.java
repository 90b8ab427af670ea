package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.sluice.testbed.cluster.RunResult;

/** What one overload run wrote: Spark's per-batch statistics, the receivers' ground truth, the agent's counters. */
final class OverloadRunData {

    record Batch(long timeMs, long[] records, long processingMs, long schedulingMs, long totalMs) {
    }

    record ReceiverLine(long epochMs, int streamId, String mode, long offered, long skipped) {
    }

    record AgentLine(long epochMs, String pidFile, String role, int streamId, String strategy, long bound,
                     long offered, long admitted, long dropped, long throttledNanos, String guardLevel,
                     double guardFactor, long adviceErrors, long stored) {
    }

    final RunResult run;
    final List<Batch> batches = new ArrayList<>();
    final List<ReceiverLine> receiverLines = new ArrayList<>();
    final List<AgentLine> agentLines = new ArrayList<>();
    final List<Path> agentFiles = new ArrayList<>();
    /** The driver's bound after each batch completion: (epochMs, streamId, boundAfter). */
    final List<long[]> driverCompletions = new ArrayList<>();
    /** Per stream: batch time -> mean record value the job processed in that batch (-1 when none). */
    final List<Map<Long, Long>> meanValues = new ArrayList<>();

    /** Every receiver stores single records (no bulk store whose records arrive together). */
    private final boolean allSingle;

    OverloadRunData(RunResult run, Path jobOut, Path metricsDir, int streams) {
        this(run, jobOut, metricsDir, streams, false);
    }

    OverloadRunData(RunResult run, Path jobOut, Path metricsDir, int streams, boolean allSingle) {
        this.run = run;
        this.allSingle = allSingle;
        Path batchesCsv = jobOut.resolve("batches.csv");
        if (Files.exists(batchesCsv)) {
            for (Map<String, String> r : Csv.read(batchesCsv).rows) {
                long[] rec = new long[streams];
                for (int i = 0; i < streams; i++) {
                    rec[i] = Csv.num(r, "records_" + i);
                }
                batches.add(new Batch(Csv.num(r, "batchTimeMs"), rec, Csv.num(r, "processingDelayMs"),
                        Csv.num(r, "schedulingDelayMs"), Csv.num(r, "totalDelayMs")));
            }
        }
        for (int i = 0; i < streams; i++) {
            Map<Long, Long> means = new java.util.HashMap<>();
            Path f = jobOut.resolve("values-" + i + ".csv");
            if (Files.exists(f)) {
                for (Map<String, String> r : Csv.read(f).rows) {
                    means.put(Csv.num(r, "batchTimeMs"), Csv.num(r, "meanValue"));
                }
            }
            meanValues.add(means);
        }
        for (Path f : list(jobOut, "receiver-")) {
            for (Map<String, String> r : Csv.read(f).rows) {
                receiverLines.add(new ReceiverLine(Csv.num(r, "epochMs"), (int) Csv.num(r, "streamId"),
                        r.get("mode"), Csv.num(r, "offered"), Csv.num(r, "skipped")));
            }
        }
        if (metricsDir != null) {
            for (Path f : list(metricsDir, "sluice-")) {
                if (f.getFileName().toString().endsWith("-batches.csv")) {
                    for (Map<String, String> r : Csv.read(f).rows) {
                        driverCompletions.add(new long[] {Csv.num(r, "epochMs"), Csv.num(r, "streamId"),
                                Csv.num(r, "boundAfter")});
                    }
                    continue;
                }
                agentFiles.add(f);
                for (Map<String, String> r : Csv.read(f).rows) {
                    agentLines.add(new AgentLine(Csv.num(r, "epochMs"), f.getFileName().toString(), r.get("role"),
                            (int) Csv.num(r, "streamId"), r.get("strategy"), Csv.num(r, "bound"),
                            Csv.num(r, "offered"), Csv.num(r, "admitted"), Csv.num(r, "dropped"),
                            Csv.num(r, "throttledNanos"), r.get("guardLevel"),
                            Double.parseDouble(r.get("guardFactor")), Csv.num(r, "adviceErrors"),
                            Csv.num(r, "stored")));
                }
            }
        }
    }

    /** Records that arrive in Spark together on this stream (see {@link OverloadRunner#indivisible}). */
    long indivisible(int streamId) {
        return allSingle ? 0 : OverloadRunner.indivisible(streamId);
    }

    /** Batches from the first one that carried records on. */
    List<Batch> dataBatches() {
        int first = 0;
        while (first < batches.size() && total(batches.get(first)) == 0) {
            first++;
        }
        return batches.subList(first, batches.size());
    }

    static long total(Batch b) {
        long s = 0;
        for (long r : b.records()) {
            s += r;
        }
        return s;
    }

    long receiverOffered(int streamId) {
        return receiverLines.stream().filter(l -> l.streamId() == streamId).mapToLong(ReceiverLine::offered).sum();
    }

    long receiverSkipped(int streamId) {
        return receiverLines.stream().filter(l -> l.streamId() == streamId).mapToLong(ReceiverLine::skipped).sum();
    }

    long sparkStored(int streamId) {
        return batches.stream().mapToLong(b -> b.records()[streamId]).sum();
    }

    List<AgentLine> executorLines(int streamId) {
        return agentLines.stream().filter(l -> "executor".equals(l.role()) && l.streamId() == streamId)
                .collect(Collectors.toList());
    }

    /** The last executor line of each executor JVM (file) that served the stream: counters are cumulative per JVM. */
    List<AgentLine> finalExecutorLines(int streamId) {
        return executorLines(streamId).stream()
                .collect(Collectors.groupingBy(AgentLine::pidFile,
                        Collectors.maxBy(java.util.Comparator.comparingLong(AgentLine::epochMs))))
                .values().stream().map(o -> o.orElseThrow()).collect(Collectors.toList());
    }

    /** Record-weighted mean value the job processed over the given batches of one stream, or -1. */
    long meanValue(int streamId, List<Batch> over) {
        double sum = 0;
        long n = 0;
        for (Batch b : over) {
            Long mean = meanValues.get(streamId).get(b.timeMs());
            long records = b.records()[streamId];
            if (mean != null && mean >= 0 && records > 0) {
                sum += (double) mean * records;
                n += records;
            }
        }
        return n == 0 ? -1 : Math.round(sum / n);
    }

    /**
     * Largest bound in force for the stream at any time within [from, to], or -1 when none is known: the bounds
     * sampled in the window, and the one in force when it opened (the latest sample at or before {@code from}; a
     * sampler stalled on a starved JVM can leave a gap of seconds before the window). Driver-side bounds count too
     * (the per-second samples and the bound set at each batch completion): the executor enforces the driver's bound
     * or a tighter one, and a bound that lived less than a second can fall between two executor samples.
     */
    long maxBound(int streamId, long fromMs, long toMs) {
        return maxInForce(boundPoints(streamId, true), fromMs, toMs);
    }

    /** As {@link #maxBound}, the driver's bounds only (what it published, before any executor-local guard). */
    long maxDriverBound(int streamId, long fromMs, long toMs) {
        return maxInForce(boundPoints(streamId, false), fromMs, toMs);
    }

    private static long maxInForce(List<long[]> points, long fromMs, long toMs) {
        long max = -1;
        long lastBeforeMs = Long.MIN_VALUE;
        long lastBefore = -1;
        for (long[] p : points) {
            if (p[0] >= fromMs && p[0] <= toMs) {
                max = Math.max(max, p[1]);
            } else if (p[0] < fromMs && p[0] > lastBeforeMs) {
                lastBeforeMs = p[0];
                lastBefore = p[1];
            } else if (p[0] == lastBeforeMs) {
                lastBefore = Math.max(lastBefore, p[1]);
            }
        }
        return Math.max(max, lastBefore);
    }

    /** (epochMs, bound) of every sample of the stream's bound: the driver's, and the executors' if asked. */
    private List<long[]> boundPoints(int streamId, boolean withExecutors) {
        List<long[]> points = new ArrayList<>();
        for (AgentLine l : agentLines) {
            if (l.streamId() == streamId && l.bound() >= 0 && (withExecutors || "driver".equals(l.role()))) {
                points.add(new long[] {l.epochMs(), l.bound()});
            }
        }
        for (long[] c : driverCompletions) {
            if (c[1] == streamId && c[2] >= 0) {
                points.add(new long[] {c[0], c[2]});
            }
        }
        return points;
    }

    private static List<Path> list(Path dir, String prefix) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".csv")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
