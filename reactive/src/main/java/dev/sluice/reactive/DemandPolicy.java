package dev.sluice.reactive;

/**
 * How many records a subscriber may have requested and not yet received, for the interval that starts now. The
 * subscriber requests this minus what is still outstanding, so whatever a slow publisher has not delivered yet is
 * never requested twice, and no more than one interval's worth is ever in flight.
 */
@FunctionalInterface
public interface DemandPolicy {

    /** Called once per interval; must be {@code >= 0}. 0 means: request nothing this interval. */
    long allowance();
}
