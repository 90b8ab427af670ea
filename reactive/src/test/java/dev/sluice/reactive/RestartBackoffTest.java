package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void doublesPerFailureInARowUpToTheCap() {
        RestartBackoff b = new RestartBackoff(2_000, 15_000);
        assertEquals(2_000, b.nextDelayMillis(false));
        assertEquals(4_000, b.nextDelayMillis(false));
        assertEquals(8_000, b.nextDelayMillis(false));
        assertEquals(15_000, b.nextDelayMillis(false));
        assertEquals(15_000, b.nextDelayMillis(false));
    }

    @Test
    void aSessionThatReceivedRecordsResetsTheBackOff() {
        RestartBackoff b = new RestartBackoff(100, 10_000);
        b.nextDelayMillis(false);
        b.nextDelayMillis(false);
        assertEquals(100, b.nextDelayMillis(true));
        assertEquals(200, b.nextDelayMillis(false));
    }

    @Test
    void manyFailuresDoNotOverflow() {
        RestartBackoff b = new RestartBackoff(1, 60_000);
        long d = 0;
        for (int i = 0; i < 200; i++) {
            d = b.nextDelayMillis(false);
        }
        assertEquals(60_000, d);
    }
}
