package dev.sluice.testbed.run;

import dev.sluice.testbed.report.Csv;
import dev.sluice.testbed.scenario.Scenario;
import dev.sluice.testbed.scenario.Scenarios;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the job's capacity on this machine: runs the {@code capacity} scenario (far above capacity, not
 * time-scaled) in stock mode and computes records / processing time over the large completed batches (at least
 * half the largest; the first such batch is left out as JIT warm-up). Small batches are excluded because fixed
 * per-batch cost would pull the estimate down.
 */
public final class CapacityProbe {

    private CapacityProbe() {
    }

    /** Records/s from the probe's cache or a fresh probe run into {@code out/capacity/stock}. */
    public static double capacity(RunSettings settings, CapacityCache cache, boolean remeasure, PrintStream console) {
        String key = CapacityCache.key(settings.home().version().toString(), 7, settings.hanoiBase(),
                settings.clusterKey());
        double cached = remeasure ? -1 : cache.get(key);
        if (cached > 0) {
            console.printf(Locale.ROOT, "capacity %.0f records/s (cached in %s, key %s; --remeasure to probe again)%n",
                    cached, cache.file(), key);
            return cached;
        }
        Scenario probe = Scenarios.load(Scenario.CAPACITY_PROBE);
        console.println("measuring capacity (scenario 'capacity', stock mode, " + probe.durationMs() / 1000
                + " s of load) ...");
        Path dir = settings.out().resolve(Scenario.CAPACITY_PROBE).resolve(Mode.STOCK.id);
        new ModeRunner(settings, console).run(probe.resolve(0), Mode.STOCK, dir, "[probe]");
        double c = fromBatches(Csv.read(dir.resolve("batches.csv")));
        if (!(c > 0)) {
            throw new IllegalStateException("the capacity probe completed too few large batches to measure capacity;"
                    + " see " + dir);
        }
        cache.put(key, c);
        console.printf(Locale.ROOT, "capacity %.0f records/s (cached in %s)%n", c, cache.file());
        return c;
    }

    /** Batches shorter than this are left out: their fixed per-batch cost would pull the estimate down. */
    static final double MIN_PROCESSING_S = 0.5;

    /**
     * records / processing seconds over completed batches that took at least {@link #MIN_PROCESSING_S} to process,
     * leaving out the first such batch (JIT warm-up); -1 when fewer than 2 remain.
     */
    public static double fromBatches(Csv batches) {
        long records = 0;
        double seconds = 0;
        int used = 0;
        boolean skippedWarmUp = false;
        for (int i = 0; i < batches.size(); i++) {
            long r = batches.lng(i, "records");
            double p = batches.num(i, "processingDelayMs") / 1000.0;
            if (r <= 0 || !(p >= MIN_PROCESSING_S)) {
                continue;
            }
            if (!skippedWarmUp) {
                skippedWarmUp = true;
                continue;
            }
            records += r;
            seconds += p;
            used++;
        }
        return used >= 2 ? records / seconds : -1;
    }
}
