package dev.sluice.runtime;

import org.junit.jupiter.api.Test;

import java.util.Collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Durations read as Spark's {@code getTimeAsMs} reads them. */
class RuntimeSettingsDurationTest {

    @Test
    void aBareNumberIsMillisecondsAsInSpark() {
        assertEquals(Long.valueOf(10), RuntimeSettings.parseDurationMs("10"));
        assertEquals(Long.valueOf(0), RuntimeSettings.parseDurationMs("0"));
    }

    @Test
    void everyUnitSparkKnows() {
        assertEquals(Long.valueOf(1), RuntimeSettings.parseDurationMs("1500us"));
        assertEquals(Long.valueOf(500), RuntimeSettings.parseDurationMs("500ms"));
        assertEquals(Long.valueOf(10_000), RuntimeSettings.parseDurationMs("10s"));
        assertEquals(Long.valueOf(120_000), RuntimeSettings.parseDurationMs("2m"));
        assertEquals(Long.valueOf(120_000), RuntimeSettings.parseDurationMs("2min"));
        assertEquals(Long.valueOf(3_600_000), RuntimeSettings.parseDurationMs("1H"));
        assertEquals(Long.valueOf(86_400_000), RuntimeSettings.parseDurationMs(" 1d "));
    }

    @Test
    void fractionsUnknownUnitsAndNegativesAreRefusedAsSparkRefusesThem() {
        assertNull(RuntimeSettings.parseDurationMs("1.5s"));
        assertNull(RuntimeSettings.parseDurationMs("0.5"));
        assertNull(RuntimeSettings.parseDurationMs("10 s"));
        assertNull(RuntimeSettings.parseDurationMs("10sec"));
        assertNull(RuntimeSettings.parseDurationMs("-1s"));
        assertNull(RuntimeSettings.parseDurationMs("s"));
        assertNull(RuntimeSettings.parseDurationMs("99999999999999999999"));
    }

    @Test
    void getDurationMsReadsTheSameSyntax() {
        RuntimeSettings s = new RuntimeSettings(Collections.singletonMap("k", "250"));
        assertEquals(250, s.getDurationMs("k", 7));
        assertEquals(7, s.getDurationMs("absent", 7));
    }
}
