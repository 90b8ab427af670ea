package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EstimatorSettingsTest {
    @Test
    void defaultsAreSparksWhereSparkHasOne() {
        EstimatorSettings s = EstimatorSettings.builder(1000).build();
        assertEquals(EstimatorKind.ADAPTIVE, s.kind);
        assertFalse(s.hasInitialRate());
        assertEquals(100, s.minRate);
        assertEquals(Double.POSITIVE_INFINITY, s.maxRate);
        assertEquals(1.0, s.proportional);
        assertEquals(0.2, s.integral);
        assertEquals(0.0, s.derivative);
        assertTrue(s.holdFirstBatchRate);
        assertEquals(0, s.standingDelayMs);
    }

    @Test
    void toBuilderCopiesEverything() {
        EstimatorSettings s = EstimatorSettings.builder(500).kind(EstimatorKind.PID).initialRate(42).minRate(5)
                .maxRate(9000).pid(0.5, 0.1, 0.05).targetUtilisation(0.9).drainHorizonMs(4000).standingDelayMs(250)
                .costWindowBatches(5).costChangeBand(0.2).costSpeedUpWeight(0.5).probeGain(1.2).quietStreamGrowth(3)
                .holdFirstBatchRate(false).build();
        assertEquals(s.toString(), s.toBuilder().build().toString());
        assertEquals(42, s.initialRate);
        assertEquals(250, s.toBuilder().build().standingDelayMs);
    }

    @Test
    void rejectsOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(0).build());
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(1000).standingDelayMs(-1).build());
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(1000).minRate(0).build());
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(1000).maxRate(50).build());
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(1000).initialRate(-1).build());
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(1000).pid(-1, 0, 0).build());
        assertThrows(IllegalArgumentException.class,
                () -> EstimatorSettings.builder(1000).targetUtilisation(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> EstimatorSettings.builder(1000).costWindowBatches(1).build());
    }

    @Test
    void factoryCreatesTheNamedKind() {
        assertInstanceOf(AdaptiveRateEstimator.class, RateEstimators.create(EstimatorSettings.builder(1000).build()));
        assertInstanceOf(PidRateEstimator.class,
                RateEstimators.create(EstimatorSettings.builder(1000).kind(EstimatorKind.PID).build()));
    }
}
