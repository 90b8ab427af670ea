package dev.sluice.testbed.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The data batches of the examples' jobs' {@code progress.csv} ({@code batchId,numInputRows,batchDurationMs,timestamp}). */
final class ProgressLog {

    private ProgressLog() {
    }

    /**
     * Every batch that read rows, in order, each batch id once: a no-data trigger reports under the next batch id with
     * no rows, and is no batch.
     */
    static List<SqlBatch> read(Path progressCsv) {
        List<SqlBatch> batches = new ArrayList<>();
        if (!Files.exists(progressCsv)) {
            return batches;
        }
        try {
            List<String> lines = Files.readAllLines(progressCsv, StandardCharsets.UTF_8);
            Set<Long> seen = new HashSet<>();
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.split(",");
                if (f.length < 4) {
                    continue;
                }
                long id = Long.parseLong(f[0]);
                long rows = Long.parseLong(f[1]);
                if (rows > 0 && seen.add(id)) {
                    batches.add(new SqlBatch(id, rows, Long.parseLong(f[2]), Instant.parse(f[3]).toEpochMilli()));
                }
            }
            return batches;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + progressCsv, e);
        }
    }
}
