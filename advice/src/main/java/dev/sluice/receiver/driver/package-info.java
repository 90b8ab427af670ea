/**
 * Receiver streams, on the driver: measure, estimate, propagate. One {@link dev.sluice.receiver.driver.DriverContext}
 * per StreamingContext ({@link dev.sluice.receiver.driver.DriverRuntime} attaches at its start), fed by
 * {@link dev.sluice.receiver.driver.SluiceStreamingListener}'s batch events; the estimator's bound goes to the executors
 * over Spark's own rate-update RPC ({@link dev.sluice.receiver.driver.ReceiverTrackerChannel}). Kafka direct streams of
 * the same context share this estimator and their {@link dev.sluice.receiver.driver.DriverStream}, read where
 * {@code dev.sluice.kafka.driver} plans their batches.
 */
package dev.sluice.receiver.driver;
