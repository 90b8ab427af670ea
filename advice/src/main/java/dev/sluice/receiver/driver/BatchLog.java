package dev.sluice.receiver.driver;

import dev.sluice.rate.BatchSample;

/** Receives every completed batch on the driver (the agent's CSV sink writes one line per batch and stream). */
public interface BatchLog {
    void completed(BatchSample batch, Iterable<DriverStream> streamsAfter);
}
