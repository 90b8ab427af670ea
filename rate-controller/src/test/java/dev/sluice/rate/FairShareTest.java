package dev.sluice.rate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class FairShareTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void equalSplitAmongUnboundedDemands() {
        assertArrayEquals(new double[] {300, 300, 300}, FairShare.split(900, new double[] {INF, INF, INF}), 1e-9);
    }

    @Test
    void quietStreamGetsItsDemandAndTheRestGoesToTheBusyOnes() {
        assertArrayEquals(new double[] {100, 400, 400}, FairShare.split(900, new double[] {100, INF, INF}), 1e-9);
    }

    @Test
    void waterFillingCascades() {
        // level 250 first settles 100, then the level becomes 400 and settles 350
        assertArrayEquals(new double[] {100, 350, 550}, FairShare.split(1000, new double[] {100, 350, INF}), 1e-9);
    }

    @Test
    void demandsBelowTotalAreAllMet() {
        assertArrayEquals(new double[] {100, 200}, FairShare.split(1000, new double[] {100, 200}), 1e-9);
    }

    @Test
    void nothingToShare() {
        assertArrayEquals(new double[] {0, 0}, FairShare.split(-5, new double[] {INF, 10}), 1e-9);
        assertArrayEquals(new double[] {}, FairShare.split(100, new double[] {}), 1e-9);
    }
}
