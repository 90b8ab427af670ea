package dev.sluice.receiver.guard;

import dev.sluice.runtime.RuntimeSettings;

/**
 * The memory guard's decision, pure (readings in, factor out) so it can be tested with injected readings.
 *
 * <p>Hysteresis: above a stress threshold (heap after GC, or storage memory) the factor halves every tick down to the
 * floor; it grows back (×1.25 per tick) only once both signals are below their relief thresholds; in between it holds.
 * Halving per tick at a 50 ms tick cuts the bound 16× within one default block interval (200 ms).
 */
public final class GuardPolicy {

    static final double TIGHTEN = 0.5;
    static final double RELAX = 1.25;

    private final double heapStress;
    private final double heapRelief;
    private final double storageStress;
    private final double storageRelief;
    private final double floor;

    private double factor = 1.0;
    private GuardLevel level = GuardLevel.OK;

    public GuardPolicy(double heapStress, double heapRelief, double storageStress, double storageRelief, double floor) {
        this.heapStress = heapStress;
        this.heapRelief = heapRelief;
        this.storageStress = storageStress;
        this.storageRelief = storageRelief;
        this.floor = Math.max(0.0001, Math.min(1.0, floor));
    }

    static GuardPolicy from(RuntimeSettings s) {
        return new GuardPolicy(s.getDouble("sluice.guard.heap.stress", 0.85), s.getDouble("sluice.guard.heap.relief", 0.70),
                s.getDouble("sluice.guard.storage.stress", 0.85), s.getDouble("sluice.guard.storage.relief", 0.70),
                s.getDouble("sluice.guard.floor", 0.05));
    }

    /** One tick: updates and returns the factor to apply to every local bound (1.0 = no effect). */
    public double tick(MemoryReadings r) {
        double heap = r.heapAfterGcFraction();
        double storage = r.storageFraction();
        boolean stressed = heap > heapStress || storage > storageStress;
        boolean relieved = heap < heapRelief && storage < storageRelief; // unknown (-1) counts as relieved
        if (stressed) {
            level = GuardLevel.HIGH;
            factor = Math.max(floor, factor * TIGHTEN);
        } else if (relieved) {
            level = GuardLevel.OK;
            factor = Math.min(1.0, factor * RELAX);
        } else {
            level = GuardLevel.LOW;
        }
        return factor;
    }

    public double factor() {
        return factor;
    }

    public GuardLevel level() {
        return level;
    }
}
