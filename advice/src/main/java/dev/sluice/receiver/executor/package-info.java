/**
 * Receiver streams, on the executors: enforce. Each receiver incarnation gets a
 * {@link dev.sluice.receiver.executor.ManagedStream} ({@link dev.sluice.receiver.executor.StreamGates}) whose gate runs
 * its congestion strategy against the bound learned from {@code RateLimiter.updateRate}
 * ({@link dev.sluice.receiver.executor.BoundHooks}); {@link dev.sluice.receiver.executor.ReceiverHooks} is what every
 * {@code Receiver.store} variant calls. Per-record paths: no allocation, no lock, no logging when uncongested.
 */
package dev.sluice.receiver.executor;
