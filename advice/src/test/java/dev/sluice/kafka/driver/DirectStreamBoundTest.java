package dev.sluice.kafka.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.sluice.receiver.driver.DriverStreamsFixture;
import dev.sluice.runtime.RuntimeSettings;

class DirectStreamBoundTest {

    private static final RuntimeSettings DEFAULTS = new RuntimeSettings(new HashMap<>());

    @AfterEach
    void reset() {
        DriverStreamsFixture.reset();
    }

    @Test
    void beforeTheEstimatorsFirstBoundTheStartProbeIsSluiceRateMin() {
        DriverStreamsFixture.reset();
        assertEquals(100 * 2.0, DirectStreamBound.batchRecords(7, DEFAULTS, 2000), 1e-9, "100/s x 2 s");
        Map<String, String> m = new HashMap<>();
        m.put("sluice.rate.min", "40");
        assertEquals(40, DirectStreamBound.batchRecords(7, new RuntimeSettings(m), 1000), 1e-9);
        m.put("sluice.rate.initial", "900");
        assertEquals(900, DirectStreamBound.batchRecords(7, new RuntimeSettings(m), 1000), 1e-9,
                "a configured initial rate is the probe");
    }

    @Test
    void theEstimatorsBoundTimesTheInterval() {
        DriverStreamsFixture.stream(3, 1_500, 20);
        assertEquals(1_500 * 0.5, DirectStreamBound.batchRecords(3, DEFAULTS, 500), 1e-9);
    }

    @Test
    void whileBatchesQueueTheFloorIsPlanned() {
        DriverStreamsFixture.stream(3, 1_500, 1_001);
        assertEquals(0, DirectStreamBound.batchRecords(3, DEFAULTS, 1000), 1e-9,
                "latest completed batch waited more than an interval");
        DriverStreamsFixture.reset();
        DriverStreamsFixture.stream(3, 1_500, 1_000);
        assertEquals(1_500, DirectStreamBound.batchRecords(3, DEFAULTS, 1000), 1e-9, "one interval is not a queue");
    }
}
