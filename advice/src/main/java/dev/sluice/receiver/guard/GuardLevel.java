package dev.sluice.receiver.guard;

/**
 * Memory pressure as the guard sees it: OK below the relief thresholds, LOW between relief and stress (the guard holds
 * its factor: no tightening, no relaxing), HIGH above a stress threshold (the guard tightens every tick).
 */
public enum GuardLevel {
    OK, LOW, HIGH
}
