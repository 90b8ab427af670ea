/**
 * What every hooked area (receivers, Kafka direct, SQL) shares, on driver and executors alike: the agent's validated
 * settings ({@link dev.sluice.runtime.SluiceRuntime}, {@link dev.sluice.runtime.RuntimeSettings}), containment of
 * Sluice's own failures per hook ({@link dev.sluice.runtime.AdviceErrors}) and logging through the host's SLF4J
 * ({@link dev.sluice.runtime.SluiceLog}). No per-area logic lives here.
 */
package dev.sluice.runtime;
