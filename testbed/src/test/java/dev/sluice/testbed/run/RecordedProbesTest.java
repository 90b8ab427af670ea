package dev.sluice.testbed.run;

import dev.sluice.testbed.report.Csv;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The staircase decision on the batches of nine real probes recorded on this project's 2-core machine
 * (src/test/resources/recorded/capacity/: Spark 3.5.7 and 4.1.0, the README command's runs and single scenarios;
 * where a probe ran twice, its second, trusted, staircase). Each prints its figure beside the straight-line fit's.
 */
class RecordedProbesTest {

    static final long BATCH_MS = 1000;

    @ParameterizedTest
    @ValueSource(strings = {"3.5.7-a", "3.5.7-b", "3.5.7-c", "3.5.7-d", "3.5.7-e", "3.5.7-f", "3.5.7-g", "4.1.0-a",
            "4.1.0-b"})
    void theCapacityLiesInTheBracketAndBelowEveryStepWhoseBatchesTookTheInterval(String probe) throws Exception {
        CapacityStaircase.Result r = analyse(probe);
        System.out.printf(Locale.ROOT, "%s: capacity %.0f/s (%s), bracket %.0f-%.0f/s, straight-line fit %.0f/s%n",
                probe, r.capacity(), r.basis(), r.highestKeptUp(), r.firstFailed(), r.fitCapacity());
        assertTrue(r.trusted(), r.describe());
        assertTrue(r.capacity() >= r.highestKeptUp() && r.capacity() <= r.firstFailed(), r.describe());
        for (CapacityStaircase.Step s : r.steps()) {
            if (s.meanProcessingMs() >= BATCH_MS) {
                assertTrue(r.capacity() <= s.rate(), s + " took the interval: " + r.describe());
            }
        }
    }

    /**
     * The probe of the README command's run of 2026-12-04 22:08 UTC: the step at 8 382/s took 949 ms, the one at
     * 9 317/s 1 040 ms (and fell behind). The straight line through all kept-up steps (231 ms + 0.0831 ms/record)
     * crossed the interval at 9 251/s, a rate whose batches were measured at 1.04 s; the modes then sustained
     * 7 500–8 600/s. The crossing between the two steps is 8 906/s.
     */
    @org.junit.jupiter.api.Test
    void theStraightLineOverReadWhereTheStepsMeasuredTheCrossing() throws Exception {
        CapacityStaircase.Result r = analyse("3.5.7-g");
        assertEquals(9251, r.fitCapacity(), 1, r.describe());
        assertEquals(CapacityStaircase.Basis.CROSSING, r.basis(), r.describe());
        assertEquals(8382 + (1000 - 949.0) / (1040 - 949.0) * (9317 - 8382), r.capacity(), 15, r.describe());
    }

    static CapacityStaircase.Result analyse(String probe) throws Exception {
        Path dir = Paths.get(RecordedProbesTest.class.getClassLoader()
                .getResource("recorded/capacity/" + probe + "/probe.properties").toURI()).getParent();
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("probe.properties"), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return CapacityStaircase.analyse(
                CapacityStaircase.batches(Csv.read(dir.resolve("batches.csv")),
                        Long.parseLong(p.getProperty("startEpochMs"))),
                Double.parseDouble(p.getProperty("estimate")), BATCH_MS);
    }
}
