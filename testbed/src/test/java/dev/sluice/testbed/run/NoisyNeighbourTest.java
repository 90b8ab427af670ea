package dev.sluice.testbed.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.sluice.testbed.scenario.ResolvedScenario;
import dev.sluice.testbed.scenario.ScenarioParser;

/** The neighbour is a real process: started for the phases that ask for it, gone after them, each switch recorded. */
class NoisyNeighbourTest {

    @TempDir
    Path runDir;

    @Test
    void theBurnerRunsExactlyDuringTheNeighbourPhases() throws Exception {
        ResolvedScenario s = ScenarioParser.parse("t", "t.scn", "hold 10s 100\nhold 10s 100 neighbour\nhold 10s 100\n")
                .resolve(0);
        long start = 1_000_000;
        ProcessHandle last;
        try (NoisyNeighbour n = new NoisyNeighbour(s, runDir)) {
            n.follow(start, start + 5_000);
            assertNull(n.burner());
            n.follow(start, start + 10_000);
            ProcessHandle first = n.burner();
            assertTrue(first.isAlive());
            n.follow(start, start + 15_000);
            assertEquals(first, n.burner(), "one burner for the whole phase");
            n.follow(start, start + 20_000);
            assertNull(n.burner());
            assertFalse(first.isAlive());
            n.follow(start, start + 12_000);
            last = n.burner();
            assertTrue(last.isAlive());
        }
        assertFalse(last.isAlive(), "closing stops a running burner");
        List<String> lines = Files.readAllLines(runDir.resolve(NoisyNeighbour.CSV), StandardCharsets.UTF_8);
        assertEquals(List.of("epochMs,on", "1010000,true", "1020000,false", "1012000,true"), lines.subList(0, 4));
        assertTrue(lines.get(4).endsWith(",false"), lines.toString());
    }
}
