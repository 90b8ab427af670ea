package dev.sluice.testbed.run;

import dev.sluice.testbed.report.Csv;
import dev.sluice.testbed.scenario.Scenario;
import dev.sluice.testbed.scenario.Scenarios;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Measures the job's maximum sustainable rate on this machine (see {@link CapacityStaircase}): a staircase of offered
 * rates in stock mode around an estimate (the cached figure, or else a short overloaded calibration run of the
 * {@code capacity} scenario, which reads low but is close enough to centre the staircase).
 */
public final class CapacityProbe {

    private CapacityProbe() {
    }

    /**
     * The capacity to use and how it was obtained (for the console and the report header), with the probe's bracket
     * (rates processed by the highest step that kept up and the first that did not; NaN when not measured now).
     */
    public record Measured(double recordsPerSecond, String how, double keptUp, double firstFailed) {

        Measured(double recordsPerSecond, String how) {
            this(recordsPerSecond, how, Double.NaN, Double.NaN);
        }

        /** What every run records of the capacity it was judged against (run.properties). */
        public java.util.Properties runProperties() {
            java.util.Properties p = new java.util.Properties();
            p.setProperty("capacity.keptUp", Double.toString(keptUp));
            p.setProperty("capacity.firstFailed", Double.toString(firstFailed));
            return p;
        }
    }

    /** Records/s from the probe's cache or a fresh probe run into {@code out/capacity/}. */
    public static Measured capacity(RunSettings settings, CapacityCache cache, boolean remeasure, PrintStream console) {
        String key = CapacityCache.key(settings.home().version().toString(), CapacityStaircase.COST,
                settings.hanoiBase(), settings.clusterKey());
        double cached = cache.get(key);
        if (!remeasure && cached > 0) {
            String how = cache.how(key);
            console.printf(Locale.ROOT, "capacity %.0f records/s (cached in %s, key %s%s; used because of "
                    + "--cached-capacity)%n", cached, cache.file(), key, how == null ? "" : "; " + how);
            return new Measured(cached, "cached" + (how == null ? "" : ", " + how));
        }
        Path base = settings.out().resolve(Scenario.CAPACITY_PROBE);
        double estimate = cached;
        if (!(estimate > 0)) {
            Scenario calibration = Scenarios.load(Scenario.CAPACITY_PROBE);
            console.println("capacity: quick overloaded calibration (scenario 'capacity', stock mode, "
                    + calibration.durationMs() / 1000 + " s) to centre the staircase ...");
            Path dir = base.resolve("calibration");
            new ModeRunner(settings, console).run(calibration.resolve(0), Mode.STOCK, dir, "[calibration]");
            estimate = overloadedEstimate(Csv.read(dir.resolve("batches.csv")));
            if (!(estimate > 0)) {
                throw new IllegalStateException("the capacity calibration completed too few large batches; see "
                        + dir);
            }
        }
        CapacityStaircase.Result r = staircase(settings, base.resolve(Mode.STOCK.id), estimate, console);
        if (Double.isNaN(r.firstFailed()) && r.highestKeptUp() > 0) {
            // Every step kept up: the estimate was low (e.g. a low figure cached by the old overloaded probe).
            // Once more, centred on the fit's extrapolation when it has one (at most 3 x the highest step), so the
            // top steps do overload.
            double next = Double.isNaN(r.fitCapacity()) ? r.highestKeptUp()
                    : Math.max(r.highestKeptUp(), Math.min(r.fitCapacity(), 3 * r.highestKeptUp()));
            console.printf(Locale.ROOT, "capacity: every step kept up; once more around %.0f records/s%n", next);
            r = staircase(settings, base.resolve(Mode.STOCK.id + "-2"), next, console);
        }
        if (!r.trusted()) {
            // Steps that contradict each other, or a cluster behind from the start: the machine's speed changed during
            // the probe. Once more; a second such measurement stops the command rather than judge modes against it.
            double again = r.capacity() > 0 ? r.capacity() : estimate;
            console.printf(Locale.ROOT, "capacity: this measurement cannot be trusted (%s); once more around %.0f "
                    + "records/s%n", String.join("; ", r.doubts()), again);
            r = staircase(settings, base.resolve(Mode.STOCK.id + "-again"), again, console);
            if (!r.trusted()) {
                throw new IllegalStateException(untrusted(r, base));
            }
        }
        if (!(r.capacity() > 0)) {
            throw new IllegalStateException("the capacity probe: no step of the staircase kept up (see the steps "
                    + "above); pass --capacity N; see " + base);
        }
        String how = r.describe();
        cache.put(key, r.capacity(), how);
        console.printf(Locale.ROOT, "capacity %.0f records/s (%s; cached in %s)%n", r.capacity(), how, cache.file());
        return new Measured(r.capacity(), "measured now, " + how, r.highestKeptUp(), r.firstFailed());
    }

    /** The message that stops a command whose probe could not be trusted twice. */
    static String untrusted(CapacityStaircase.Result r, Path base) {
        return "the capacity probe could not be trusted twice in a row (" + String.join("; ", r.doubts())
                + "): the machine's speed changes under other load, and modes judged against such a figure would be "
                + "misjudged. Run again when the machine is quieter, or give the figure with --capacity N (or "
                + "--cached-capacity); the probe's runs are in " + base;
    }

    private static CapacityStaircase.Result staircase(RunSettings settings, Path dir, double estimate,
                                                      PrintStream console) {
        Scenario stairs = CapacityStaircase.scenario(estimate);
        console.printf(Locale.ROOT, "measuring capacity: staircase around %.0f records/s (%.0f s warm-up at %s x, then"
                        + " %s x, %d s steps; stock mode, %d s of load) ...%n", estimate,
                CapacityStaircase.WARM_UP_MS / 1000.0, CapacityStaircase.WARM_UP_RATE,
                java.util.Arrays.toString(CapacityStaircase.STEPS), CapacityStaircase.STEP_MS / 1000,
                stairs.durationMs() / 1000);
        new ModeRunner(settings, console).run(stairs.resolve(0), Mode.STOCK, dir, "[probe]");
        long start = Long.parseLong(properties(dir.resolve("run.properties")).getProperty("startEpochMs"));
        CapacityStaircase.Result r = CapacityStaircase.analyse(
                CapacityStaircase.batches(Csv.read(dir.resolve("batches.csv")), start), estimate, settings.batchMs());
        for (CapacityStaircase.Step s : r.steps()) {
            console.printf(Locale.ROOT, "  step %6.0f/s (processed %6.0f/s): %2d batches, processing %5.0f ms, "
                            + "sched. delay (2nd half) %5.0f ms -> %s%n", s.offered(), s.rate(), s.batches(),
                    s.meanProcessingMs(), s.meanSchedulingMs(), s.keptUp() ? "kept up" : "did not keep up");
        }
        console.println("  " + r.describe());
        return r;
    }

    private static java.util.Properties properties(Path file) {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Batches shorter than this are left out: their fixed per-batch cost would pull the estimate down. */
    static final double MIN_PROCESSING_S = 0.5;

    /**
     * The old, overloaded measure, kept only to centre the staircase: records / processing seconds over completed
     * batches that took at least {@link #MIN_PROCESSING_S}, leaving out the first such batch (JIT warm-up); -1 when
     * fewer than 2 remain. It reads LOW (per-record cost rises under overload), so it is never the capacity itself.
     */
    public static double overloadedEstimate(Csv batches) {
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
