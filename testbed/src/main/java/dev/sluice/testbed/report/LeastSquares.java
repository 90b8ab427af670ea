package dev.sluice.testbed.report;

/** Least squares y = intercept + slope × x, accumulated point by point (the probe's and a run's capacity fit). */
public final class LeastSquares {

    private int n;
    private double sx;
    private double sy;
    private double sxx;
    private double sxy;

    public void add(double x, double y) {
        n++;
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }

    /** {intercept, slope}; null when degenerate (fewer than 4 points, or x without spread). */
    public double[] fit() {
        double den = n * sxx - sx * sx;
        if (n < 4 || !(den > 1e-9 * n * sxx)) {
            return null;
        }
        double slope = (n * sxy - sx * sy) / den;
        return new double[] {(sy - slope * sx) / n, slope};
    }
}
