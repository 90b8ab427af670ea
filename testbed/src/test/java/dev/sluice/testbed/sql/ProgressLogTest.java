package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressLogTest {

    @Test
    void keepsDataBatchesOnceEach(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("progress.csv");
        Files.writeString(f, """
                batchId,numInputRows,batchDurationMs,timestamp
                0,3000,90000,2026-01-01T00:00:00.000Z
                1,0,5,2026-01-01T00:01:30.000Z
                1,400,1500,2026-01-01T00:01:32.000Z
                1,400,1500,2026-01-01T00:01:32.000Z
                """);
        List<SqlBatch> b = ProgressLog.read(f);
        assertEquals(2, b.size());
        assertEquals(new SqlBatch(0, 3000, 90_000, 1767225600000L), b.get(0));
        assertEquals(1767225692000L + 1500, b.get(1).endMs());
    }
}
