package dev.sluice.testbed.run;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeTest {

    @Test
    void parsesListsAndAll() {
        assertEquals(List.of(Mode.STOCK, Mode.SLUICE_DROP), Mode.parseList("stock, sluice-drop,stock"));
        assertEquals(Mode.defaults(), Mode.parseList("all"));
        assertEquals(6, Mode.defaults().size());
    }

    @Test
    void unknownModeListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.parseList("stock,fast"));
        assertEquals("unknown mode 'fast'; known modes: stock, spark, spark-tuned, sluice-throttle, sluice-drop, sluice-sample, "
                + "reactive, sluice-throttle-noguard, sluice-drop-noguard, sluice-throttle-pid, sluice-drop-pid "
                + "(or 'all')", e.getMessage());
        assertTrue(Mode.of("reactive").usesAgent(), "the reactive receiver reads its bound through the agent");
    }

    @Test
    void cliRefusesUnknownOptionsAndBadNumbers() {
        assertEquals("unknown option '--fast'", assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"--fast"}, System.out)).getMessage());
        assertEquals("--time-scale must be a number > 0, got 'x'", assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"--time-scale", "x", "--modes", "stock"}, System.out)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"--scenario", "nosuch"}, System.out)).getMessage()
                .startsWith("unknown scenario 'nosuch'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Main.run(new String[] {"--spark-version", "2.4.8", "--modes", "stock"}, System.out))
                .getMessage().contains("not supported"));
    }

    @Test
    void repeatsRotateTheModeOrderAndMustBeWholeRuns() {
        List<Mode> modes = List.of(Mode.SPARK, Mode.SLUICE_THROTTLE, Mode.SLUICE_DROP);
        assertEquals(modes, Main.rotated(modes, 0));
        assertEquals(List.of(Mode.SLUICE_THROTTLE, Mode.SLUICE_DROP, Mode.SPARK), Main.rotated(modes, 1));
        assertEquals(List.of(Mode.SLUICE_DROP, Mode.SPARK, Mode.SLUICE_THROTTLE), Main.rotated(modes, 2));
        assertEquals(modes, Main.rotated(modes, 3));
        assertEquals("spark", Main.runDirName(Mode.SPARK, 1, 1));
        assertEquals("spark-r2", Main.runDirName(Mode.SPARK, 2, 3));
        assertEquals("--repeat must be a whole number of runs from 1 to 100, got '1.5'",
                assertThrows(IllegalArgumentException.class, () -> Main.run(new String[] {"--repeat", "1.5",
                        "--modes", "stock"}, System.out)).getMessage());
    }

    @Test
    void sparkTunedGetsThePerReceiverShareOfTheCapacity() {
        assertEquals(1001, ModeRunner.perReceiverRate(2001, 2), "rounded up");
        assertEquals(2001, ModeRunner.perReceiverRate(2001, 1), "--streams socket: the one receiver takes it all");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModeRunner.perReceiverRate(-1, 2))
                .getMessage().contains("spark-tuned"));
    }

    @Test
    void sluicePropertiesNameTheStrategyAndTheMetricsDirectory() {
        String p = ModeRunner.sluiceProperties(Mode.SLUICE_SAMPLE, java.nio.file.Paths.get("/tmp/run"));
        assertTrue(p.contains("sluice.strategy=sample\n"), p);
        assertTrue(p.contains("sluice.metrics.file=/tmp/run\n"), p);
    }
}
