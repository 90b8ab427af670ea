package dev.sluice.rate;

/**
 * Max-min fair split of one total rate among streams (water-filling): a stream that wants less than an equal share gets
 * what it wants, and what it leaves is shared equally by the others. Demands may be {@code +Infinity} (a stream held at
 * its bound: it would take more).
 */
public final class FairShare {
    private FairShare() {
    }

    /** Allocations, in the order of {@code demands}; their sum is min(total, sum of demands). */
    public static double[] split(double total, double[] demands) {
        int n = demands.length;
        double[] allocation = new double[n];
        boolean[] settled = new boolean[n];
        double remaining = Math.max(0, total);
        int open = n;
        boolean progress = true;
        while (open > 0 && progress) {
            progress = false;
            double level = remaining / open;
            for (int i = 0; i < n; i++) {
                if (!settled[i] && demands[i] <= level) {
                    allocation[i] = Math.max(0, demands[i]);
                    remaining -= allocation[i];
                    settled[i] = true;
                    open--;
                    progress = true;
                }
            }
        }
        if (open > 0) {
            double level = remaining / open;
            for (int i = 0; i < n; i++) {
                if (!settled[i]) {
                    allocation[i] = level;
                }
            }
        }
        return allocation;
    }
}
