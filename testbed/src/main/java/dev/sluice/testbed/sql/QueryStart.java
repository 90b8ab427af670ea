package dev.sluice.testbed.sql;

import java.nio.file.Files;
import java.nio.file.Path;

/** Waits for a query's start: its first offset-log entry (batch 0 planned), written before batch 0 runs. */
final class QueryStart {

    private QueryStart() {
    }

    /** Epoch ms at which {@code <queryCheckpoint>/offsets/0} was seen; -1 if interrupted or past {@code deadlineMs}. */
    static long await(Path queryCheckpoint, long deadlineMs) {
        Path first = queryCheckpoint.resolve("offsets").resolve("0");
        while (System.currentTimeMillis() < deadlineMs) {
            if (Files.exists(first)) {
                return System.currentTimeMillis();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }
}
