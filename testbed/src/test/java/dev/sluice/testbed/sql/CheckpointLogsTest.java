package dev.sluice.testbed.sql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CheckpointLogsTest {

    @Test
    void kafkaEndsFromTheEntrysLastLine() {
        String entry = "v1\n{\"batchWatermarkMs\":0}\n{\"t\":{\"1\":30,\"0\":25,\"3\":7,\"2\":40}}\n";
        assertEquals(Map.of(0, 25L, 1, 30L, 2, 40L, 3, 7L), CheckpointLogs.kafkaEnds(entry));
    }

    @Test
    void fileSourceLogOffset() {
        assertEquals(12, CheckpointLogs.logOffset("v1\n{\"batchWatermarkMs\":0}\n{\"logOffset\":12}\n"));
        assertEquals(-1, CheckpointLogs.logOffset("v1\n"));
    }

    @Test
    void lastBatchAmongPlainAndCompactedEntries(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"0", "1", "9.compact", ".10.crc", "tmp"}) {
            Files.writeString(dir.resolve(name), "v1\n");
        }
        assertEquals(9, CheckpointLogs.lastBatch(dir));
        assertEquals(-1, CheckpointLogs.lastBatch(dir.resolve("none")));
    }

    @Test
    void filesTakenByTheSourcesLogBatches(@TempDir Path checkpoint) throws Exception {
        Path log = Files.createDirectories(checkpoint.resolve("sources").resolve("0"));
        Files.writeString(log.resolve("0"), "v1\n{\"path\":\"file:///in/part-000000.json\",\"timestamp\":1,"
                + "\"batchId\":0}\n{\"path\":\"file:///in/part-000001.json\",\"timestamp\":1,\"batchId\":0}\n");
        Files.writeString(log.resolve("1"), "v1\n{\"path\":\"file:///in/part-000002.json\",\"timestamp\":2,"
                + "\"batchId\":1}\n");
        assertEquals(Map.of(0L, 0L, 1L, 0L, 2L, 1L), CheckpointLogs.filesTaken(checkpoint));
    }
}
