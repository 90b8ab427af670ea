package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every vector of spark-internals.md section 4 (PIDRateEstimatorSuite and the outputs of the real 3.5.7 class). */
class SparkPidEstimatorTest {

    /** The suite's "default" estimator. */
    private static SparkPidEstimator suiteDefault() {
        return new SparkPidEstimator(20, 1D, 0D, 0D, 10);
    }

    private static void assertNone(double value) {
        assertTrue(Double.isNaN(value), "expected None, got " + value);
    }

    @Test
    void firstCallGivesNoneSecondGivesRateSameTimeAgainGivesNone() {
        SparkPidEstimator p = suiteDefault();
        assertNone(p.compute(0, 10, 10, 0));
        assertEquals(1000D, p.compute(10, 10, 10, 0));
        assertNone(p.compute(10, 10, 10, 0));
    }

    @Test
    void noEstimateForNonPositiveElementsAndStateUnchanged() {
        SparkPidEstimator p = suiteDefault();
        assertNone(p.compute(0, 10, 10, 0));
        assertNone(p.compute(10, 0, 10, 0));
        assertNone(p.compute(20, -10, 10, 0));
        // the invalid calls changed nothing: a later valid call sees latestTime=0, latestRate=1000
        assertEquals(1000D, p.compute(30, 10, 10, 0));
    }

    @Test
    void noEstimateForNonPositiveProcessingDelay() {
        SparkPidEstimator p = suiteDefault();
        assertNone(p.compute(0, 10, 10, 0));
        assertNone(p.compute(10, 10, 0, 0));
        assertNone(p.compute(20, 10, -10, 0));
        assertEquals(1000D, p.compute(30, 10, 10, 0));
    }

    @Test
    void invalidFirstCallsDoNotConsumeTheFirstRun() {
        SparkPidEstimator p = suiteDefault();
        assertNone(p.compute(0, 0, 10, 0));
        assertNone(p.compute(5, 10, 10, 0)); // this is the first valid call
        assertEquals(1000D, p.compute(10, 10, 10, 0));
    }

    @Test
    void constructorRangeChecks() {
        assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(0, 1, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(20, -1, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(20, 0, -1, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(20, 0, 0, -1, 10));
        assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(20, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(20, 0, 0, 0, -10));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new SparkPidEstimator(0, 1, 0, 0, 10));
        assertEquals("requirement failed: Specified batch interval 0 in PIDRateEstimator is invalid.", e.getMessage());
        new SparkPidEstimator(20, 0, 0, 0, 1e-9); // boundaries that Spark accepts
    }

    @Test
    void largeSchedulingDelayClampsAtMinRate() {
        SparkPidEstimator p = new SparkPidEstimator(20, 1D, 1D, 0D, 5);
        assertNone(p.compute(0, 1, 20, 100));
        for (int i = 1; i < 50; i++) {
            assertEquals(5.0D, p.compute(i * 20L, 1, 20, 100), "call " + i);
        }
    }

    @Test
    void followsIncreasingProcessingSpeed() {
        SparkPidEstimator p = new SparkPidEstimator(20, 1D, 1D, 0D, 10);
        assertNone(p.compute(0, 20, 20, 0));
        for (int n = 1; n < 50; n++) {
            assertEquals((n + 1) * 1000D, p.compute(n * 20L, (n + 1) * 20L, 20, 0), "call " + n);
        }
    }

    @Test
    void followsDecreasingProcessingSpeed() {
        SparkPidEstimator p = new SparkPidEstimator(20, 1D, 1D, 0D, 10);
        assertNone(p.compute(0, 50 * 20L, 20, 0));
        for (int n = 1; n < 50; n++) {
            assertEquals((50 - n) * 1000D, p.compute(n * 20L, (50 - n) * 20L, 20, 0), "call " + n);
        }
    }

    @Test
    void withAccumulatedErrorStaysBelowProcessingSpeed() {
        double minRate = 10D;
        SparkPidEstimator p = new SparkPidEstimator(20, 1D, 0.01D, 0D, minRate);
        Random rng = new Random(42);
        for (int n = 0; n < 50; n++) {
            long elements = rng.nextInt(1000) + 1000;
            long sched = rng.nextInt(19) + 1;
            double speed = elements / 20.0 * 1000;
            double r = p.compute(n * 20L, elements, 20, sched);
            if (n == 0) {
                assertNone(r);
            } else {
                assertFalse(Double.isNaN(r), "call " + n);
                assertTrue(r < speed, "call " + n + ": " + r + " >= " + speed);
                assertTrue(r >= minRate, "call " + n);
            }
        }
    }

    @Test
    void vectorsOfTheReal357ClassWithSparkDefaults() {
        SparkPidEstimator p = new SparkPidEstimator(1000, 1.0, 0.2, 0.0, 100);
        assertNone(p.compute(1000, 5000, 500, 0));
        assertEquals(10000D, p.compute(2000, 10000, 1000, 0));
        assertEquals(4500D, p.compute(3000, 10000, 2000, 500));
        assertEquals(3500D, p.compute(4000, 10000, 2000, 1500));
        assertEquals(100D, p.compute(5000, 100, 2000, 3000)); // raw 20, clamped
        assertNone(p.compute(6000, 0, 2000, 0));
        assertEquals(1000D, p.compute(7000, 1000, 1000, 0));
    }

    @Test
    void vectorsOfTheReal357ClassWithDerivative() {
        SparkPidEstimator p = new SparkPidEstimator(1000, 1.0, 0.2, 0.5, 100);
        assertNone(p.compute(1000, 5000, 500, 0));
        assertEquals(10000D, p.compute(2000, 10000, 1000, 0));
        assertEquals(2000D, p.compute(3000, 10000, 2000, 500));
    }
}
