package dev.sluice.agent;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JvmRoleTest {

    @Test
    void theCommandLineNamesExecutorsAndTheDriversSparkLaunches() {
        assertEquals(JvmRole.EXECUTOR, JvmRole.fromCommand("org.apache.spark.executor.CoarseGrainedExecutorBackend "
                + "--driver-url spark://x --executor-id 1"));
        assertEquals(JvmRole.EXECUTOR, JvmRole.fromCommand("org.apache.spark.executor.YarnCoarseGrainedExecutorBackend"));
        assertEquals(JvmRole.EXECUTOR,
                JvmRole.fromCommand("org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend"));
        assertEquals(JvmRole.DRIVER, JvmRole.fromCommand("org.apache.spark.deploy.SparkSubmit --class x app.jar"));
        assertEquals(JvmRole.DRIVER, JvmRole.fromCommand("org.apache.spark.deploy.worker.DriverWrapper spark://x"));
        assertEquals(JvmRole.DRIVER, JvmRole.fromCommand("org.apache.spark.deploy.yarn.ApplicationMaster --class x"));
        // A main class that merely has Spark on its class path (local mode, a harness) is known once Spark starts.
        assertEquals(JvmRole.UNKNOWN, JvmRole.fromCommand("com.acme.MyStreamingJob ExecutorBackend"));
        assertEquals(JvmRole.UNKNOWN, JvmRole.fromCommand(""));
    }

    @Test
    void sparkEnvDecidesOnceSparkRuns() {
        assertEquals(JvmRole.DRIVER, JvmRole.fromSparkEnv("driver", JvmRole.UNKNOWN));
        assertEquals(JvmRole.EXECUTOR, JvmRole.fromSparkEnv("executor", JvmRole.UNKNOWN));
        assertEquals(JvmRole.UNKNOWN, JvmRole.fromSparkEnv(null, JvmRole.UNKNOWN));
    }
}
