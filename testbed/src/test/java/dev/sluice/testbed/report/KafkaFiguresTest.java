package dev.sluice.testbed.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kafka source's report rows from a hand-made run directory. */
class KafkaFiguresTest {

    static final long S = 1_000_000_000L;

    static Path run(Path dir, String mode, String exactly) throws IOException {
        Path d = Files.createDirectories(dir.resolve(mode));
        Files.writeString(d.resolve("scenario.scn"), "backlog 10s\nidle 1s\nhold 10s 0.5x cost 7\n");
        Files.writeString(d.resolve("run.properties"), "scenario=backlog\nmode=" + mode + "\nsource=kafka\n"
                + "capacity=1000\nbatchMs=1000\nbacklog=10000\nproduced=15000\nstartEpochMs=" + S + "\nstopEpochMs="
                + (S + 13_000) + "\nexitCode=0\n" + exactly);
        // planned: an empty batch, then 3000, then 1000s
        Files.writeString(d.resolve("planned.csv"), "batchTimeMs,submissionMs,records\n" + (S + 2000) + ","
                + (S + 2005) + ",3000\n" + (S + 1000) + "," + (S + 1005) + ",0\n" + (S + 3000) + "," + (S + 3005)
                + ",1000\n");
        // lag before the start (left out), a peak, the load's end at 11 s, after the stop (left out)
        Files.writeString(d.resolve("lag.csv"), ConsumerLagHeader.H + "\n"
                + (S - 500) + ",10000,0,0,99999,99999\n"
                + (S + 1000) + ",10500,0,0,10500,10500\n"
                + (S + 2500) + ",11250,3000,0,8250,11250\n"
                + (S + 11_000) + ",15000,12000,11000,3000,4000\n"
                + (S + 12_000) + ",15000,13000,12000,2000,3000\n"
                + (S + 14_000) + ",15000,15000,15000,77777,77777\n");
        return d;
    }

    /** The runner's header, spelled here so a change of the file format fails this test. */
    static final class ConsumerLagHeader {
        static final String H = "epochMs,produced,planned,processed,notPlanned,notProcessed";
    }

    @Test
    void rowsGiveBacklogFirstBatchPeaksLagAtLoadEndAndTheVerdict(@TempDir Path dir) throws IOException {
        assertEquals(ConsumerLagHeader.H, dev.sluice.testbed.kafka.ConsumerLag.HEADER);
        RunData ok = RunData.load("sluice-throttle", run(dir, "sluice-throttle",
                "exactlyOnce.ok=true\nexactlyOnce.records=12000\nexactlyOnce=exactly once\\: ...\n"));
        assertEquals(List.of("sluice-throttle", "10000", "3000", "10500", "11250", "4000",
                "yes: 12000 records of 15000 produced, contiguous, counts and checksums equal"),
                KafkaFigures.of(ok).row());

        RunData bad = RunData.load("stock", run(dir, "stock",
                "exactlyOnce.ok=false\nexactlyOnce=NOT exactly once\\: no batch completed | x\n"));
        List<String> row = KafkaFigures.of(bad).row();
        assertEquals("NOT exactly once: no batch completed / x", row.get(6));
        String table = KafkaFigures.table(List.of(ok, bad));
        assertTrue(table.contains("| stock | 10000 | 3000 |"), table);
    }

    @Test
    void aRunWithoutKafkaFilesHasNoFigures(@TempDir Path dir) throws IOException {
        Path d = run(dir, "spark", "");
        Files.delete(d.resolve("lag.csv"));
        Files.delete(d.resolve("planned.csv"));
        assertEquals(List.of("spark", "10000", "n/a", "n/a", "n/a", "n/a", "n/a"),
                KafkaFigures.of(RunData.load("spark", d)).row());
    }
}
