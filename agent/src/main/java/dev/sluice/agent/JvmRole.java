package dev.sluice.agent;

/** Whether this JVM is a Spark executor (CoarseGrainedExecutorBackend and its YARN/Kubernetes variants) or a driver. */
public enum JvmRole {
    DRIVER("driver"), EXECUTOR("executor");

    public final String label;

    JvmRole(String label) {
        this.label = label;
    }

    public static JvmRole current() {
        String command = System.getProperty("sun.java.command", "");
        return command.contains("ExecutorBackend") ? EXECUTOR : DRIVER;
    }
}
