package dev.sluice.agent;

/**
 * What this JVM is to Spark. At start-up only the command line tells: an executor backend (standalone, YARN, Kubernetes),
 * or a driver launched by spark-submit, a standalone cluster's DriverWrapper or YARN's ApplicationMaster; a JVM that
 * merely runs a main class with Spark on its class path (local mode, a test harness) is {@link #UNKNOWN} until Spark
 * starts and {@code SparkEnv}'s executor id says which it is.
 */
public enum JvmRole {
    DRIVER("driver"), EXECUTOR("executor"), UNKNOWN("unknown");

    public final String label;

    JvmRole(String label) {
        this.label = label;
    }

    public static JvmRole current() {
        return fromCommand(System.getProperty("sun.java.command", ""));
    }

    static JvmRole fromCommand(String command) {
        String main = command.trim().split("\\s+", 2)[0];
        if (main.contains("ExecutorBackend")) {
            return EXECUTOR;
        }
        if (main.equals("org.apache.spark.deploy.SparkSubmit") || main.equals("org.apache.spark.deploy.worker.DriverWrapper")
                || main.equals("org.apache.spark.deploy.yarn.ApplicationMaster")) {
            return DRIVER;
        }
        return UNKNOWN;
    }

    /** From {@code SparkEnv}'s answer ("driver" or "executor"); {@code fallback} when there was none. */
    public static JvmRole fromSparkEnv(String sparkRole, JvmRole fallback) {
        if ("driver".equals(sparkRole)) {
            return DRIVER;
        }
        return "executor".equals(sparkRole) ? EXECUTOR : fallback;
    }
}
