/**
 * What every hooked area (receivers, Kafka direct, SQL) shares, on driver and executors alike: the agent's validated
 * settings and estimator factory ({@link dev.sluice.runtime.SluiceRuntime}, {@link dev.sluice.runtime.RuntimeSettings}),
 * containment of Sluice's own failures per hook ({@link dev.sluice.runtime.AdviceErrors}), logging through the host's
 * SLF4J ({@link dev.sluice.runtime.SluiceLog}) and Spark's configuration as this JVM holds it.
 */
package dev.sluice.runtime;
