package dev.sluice.examples.structured;

import org.apache.spark.sql.streaming.StreamingQuery;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Stops a Structured Streaming query while it processes a batch, so that a restart from its checkpoint must replay
 * that batch, and records what the checkpoint held at the stop (for the smoke tests that check the replay).
 */
public final class MidBatchStop {

    private static final String PROCESSING = "Processing new data";

    private MidBatchStop() {
    }

    /**
     * Stops the query while it processes a batch (status "Processing new data": the batch's range is in the offset log,
     * its commit is not). Writes {@code record} ({@code statusAtStop,lastOffsetBatch,lastCommitBatch}) and, beside it,
     * {@code stopped-offsets-entry.txt}: the offset log's last entry as it was at the stop.
     *
     * @param checkpoint the query's checkpoint directory (holding {@code offsets/} and {@code commits/})
     */
    public static void stopWhileABatchRuns(StreamingQuery query, File checkpoint, File record) throws Exception {
        // A batch seen starting (not just its status left over from the end), still running 300 ms later with no
        // new progress: its range is logged and its commit a good second away.
        long deadline = System.currentTimeMillis() + 60_000;
        boolean sawOther = false;
        while (System.currentTimeMillis() < deadline) {
            boolean processing = PROCESSING.equals(query.status().message());
            if (processing && sawOther) {
                long before = batchIdOf(query);
                Thread.sleep(300);
                if (PROCESSING.equals(query.status().message()) && batchIdOf(query) == before) {
                    break;
                }
                sawOther = false; // that batch ended: wait for the next one to start
                continue;
            }
            sawOther |= !processing;
            Thread.sleep(5);
        }
        String status = query.status().message();
        query.stop();
        long offsets = lastBatch(new File(checkpoint, "offsets"));
        long commits = lastBatch(new File(checkpoint, "commits"));
        String entry = offsets < 0 ? "" : new String(Files.readAllBytes(new File(new File(checkpoint, "offsets"),
                String.valueOf(offsets)).toPath()), StandardCharsets.UTF_8);
        try (PrintWriter w = new PrintWriter(record, "UTF-8")) {
            w.println("statusAtStop,lastOffsetBatch,lastCommitBatch");
            w.println(status.replace(',', ' ') + "," + offsets + "," + commits);
        }
        Files.write(new File(record.getParentFile(), "stopped-offsets-entry.txt").toPath(),
                entry.getBytes(StandardCharsets.UTF_8));
    }

    private static long batchIdOf(StreamingQuery query) {
        return query.lastProgress() == null ? -1 : query.lastProgress().batchId();
    }

    /** The largest batch id among a metadata log's files (0, 1, ... or N.compact), -1 if none. */
    public static long lastBatch(File log) throws IOException {
        long last = -1;
        File[] files = log.listFiles();
        if (files != null) {
            for (File f : files) {
                String name = f.getName().replace(".compact", "");
                if (name.matches("\\d+")) {
                    last = Math.max(last, Long.parseLong(name));
                }
            }
        }
        return last;
    }
}
