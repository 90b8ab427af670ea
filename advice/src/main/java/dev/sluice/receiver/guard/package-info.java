/**
 * Receiver streams, on the executors: the fast local loop. {@link dev.sluice.receiver.guard.MemoryGuard} samples this
 * JVM's heap after GC and Spark's storage memory ({@link dev.sluice.receiver.guard.JvmMemory}) every
 * {@code sluice.guard.interval} and applies {@link dev.sluice.receiver.guard.GuardPolicy}'s factor to every live
 * stream's bound, without waiting for the driver's next batch.
 */
package dev.sluice.receiver.guard;
