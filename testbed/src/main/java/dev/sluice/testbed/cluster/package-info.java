/**
 * Real multi-JVM Spark on this machine, from Maven Central, for the test bed and the smoke tests.
 *
 * <ul>
 *   <li>{@link dev.sluice.testbed.cluster.SparkVersion}: {@code 3.5.7/2.12}, {@code 4.1.0} (2.13), 3.4.4, 4.0.1 ... and
 *       the JVM module flags of each line.</li>
 *   <li>{@link dev.sluice.testbed.cluster.SparkHomes#resolve(String)}: a cached Spark home ({@code jars/}, {@code work/})
 *       assembled once per version with {@code mvn dependency:copy-dependencies} (Spark's parent pom as BOM).</li>
 *   <li>{@link dev.sluice.testbed.cluster.LaunchSpec}: app jar, main class, args, {@code local-cluster[N,C,M]}, Spark
 *       properties, agent ({@link dev.sluice.testbed.cluster.AgentAttachment}) or none, timeout, run directory;
 *       {@link dev.sluice.testbed.cluster.Modes} derives stock / Spark back-pressure / Sluice variants of one spec.</li>
 *   <li>{@link dev.sluice.testbed.cluster.ClusterJobLauncher#run(LaunchSpec)} (blocking) or {@code start(spec)} →
 *       {@link dev.sluice.testbed.cluster.DriverProcess} (await, killTree; no JVM of the run survives it).</li>
 *   <li>{@link dev.sluice.testbed.cluster.RunResult}: exit code, timed out, run directory with driver stdout/stderr,
 *       {@code command.txt}, executor logs under {@code spark-home/work/app-* /<id>/}.</li>
 * </ul>
 */
package dev.sluice.testbed.cluster;
