package dev.sluice.runtime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SluiceLogTest {

    @Test
    void buffersUntilTheHostIsReadyThenFlushesInOrder() {
        SluiceLog.reset(null);
        SluiceLog.info("one");
        SluiceLog.warn("two");
        assertEquals(2, SluiceLog.bufferedCount());
        final List<String> seen = new ArrayList<String>();
        SluiceLog.install(new SluiceLog.Sink() {
            @Override
            public void log(SluiceLog.Level level, String message, Throwable error) {
                seen.add(level + " " + message);
            }
        });
        SluiceLog.info("three");
        assertEquals(0, SluiceLog.bufferedCount());
        assertEquals(3, seen.size());
        assertEquals("INFO one", seen.get(0));
        assertEquals("WARN two", seen.get(1));
        assertEquals("INFO three", seen.get(2));
    }

    @Test
    void summaryLinesAreNotPrefixedTwice() {
        assertEquals("Sluice: x", SluiceLog.prefixed("x"));
        assertEquals("Sluice stream 0 [drop]: bound=1/s", SluiceLog.prefixed("Sluice stream 0 [drop]: bound=1/s"));
    }
}
