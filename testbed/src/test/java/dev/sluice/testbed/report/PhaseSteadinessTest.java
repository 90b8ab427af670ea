package dev.sluice.testbed.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.sluice.testbed.report.Figures.PhaseSteadiness;
import dev.sluice.testbed.report.RunData.Batch;

class PhaseSteadinessTest {

    private static Batch batch(double t, long records, double delayS) {
        return new Batch(t, records, records, 0, delayS, 0.5, t + delayS + 0.5, 0, false, t - 1, t);
    }

    @Test
    void oscillationIsTheCoefficientOfVariationOfRecordsPerBatchBesideTheDelays() {
        // Records 1000 and 3000 alternating: mean 2000, population standard deviation 1000, CV 0.5.
        PhaseSteadiness p = PhaseSteadiness.of(List.of(batch(1, 1000, 0.1), batch(2, 3000, 0.3), batch(3, 1000, 0.2),
                batch(4, 3000, 0.6)));
        assertEquals(0.5, p.oscillation(), 1e-9);
        assertEquals(0.3, p.meanDelayS(), 1e-9);
        assertEquals(0.6, p.maxDelayS(), 1e-9);
        assertEquals(0.0, PhaseSteadiness.of(List.of(batch(1, 500, 0), batch(2, 500, 0))).oscillation(), 1e-9);
    }

    @Test
    void noBatchInThePhaseReadsNotANumber() {
        assertTrue(Double.isNaN(PhaseSteadiness.of(List.of()).oscillation()));
    }
}
