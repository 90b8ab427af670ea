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
                     long offered, long admitted, long dropped, long throttledNanos, long adviceErrors) {
    }

    final RunResult run;
    final List<Batch> batches = new ArrayList<>();
    final List<ReceiverLine> receiverLines = new ArrayList<>();
    final List<AgentLine> agentLines = new ArrayList<>();
    final List<Path> agentFiles = new ArrayList<>();
    /** Per stream: batch time -> mean record value the job processed in that batch (-1 when none). */
    final List<Map<Long, Long>> meanValues = new ArrayList<>();

    OverloadRunData(RunResult run, Path jobOut, Path metricsDir, int streams) {
        this.run = run;
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
                    continue;
                }
                agentFiles.add(f);
                for (Map<String, String> r : Csv.read(f).rows) {
                    agentLines.add(new AgentLine(Csv.num(r, "epochMs"), f.getFileName().toString(), r.get("role"),
                            (int) Csv.num(r, "streamId"), r.get("strategy"), Csv.num(r, "bound"),
                            Csv.num(r, "offered"), Csv.num(r, "admitted"), Csv.num(r, "dropped"),
                            Csv.num(r, "throttledNanos"), Csv.num(r, "adviceErrors")));
                }
            }
        }
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

    /** Largest bound in force (executor side) for the stream within [from, to], or -1 when none. */
    long maxBound(int streamId, long fromMs, long toMs) {
        return executorLines(streamId).stream().filter(l -> l.epochMs() >= fromMs && l.epochMs() <= toMs)
                .mapToLong(AgentLine::bound).max().orElse(-1);
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
