package dev.sluice.testbed.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@code -javaagent} as a user gives it: an absolute jar path and the agent's argument string, e.g.
 * {@code config=/abs/sluice.properties} or {@code config=/abs/sluice.properties,sluice.strategy=drop}.
 */
public record AgentAttachment(Path jar, String args) {

    public AgentAttachment {
        Objects.requireNonNull(jar, "jar");
        jar = jar.toAbsolutePath().normalize();
        args = args == null ? "" : args;
        if (args.contains(" ")) {
            throw new IllegalArgumentException("agent arguments may not contain spaces (Spark splits "
                    + "spark.executor.extraJavaOptions on whitespace): " + args);
        }
    }

    /** {@code config=<abs file>}: the form the README documents. */
    public static AgentAttachment withConfigFile(Path jar, Path configFile) {
        return new AgentAttachment(jar, "config=" + configFile.toAbsolutePath().normalize());
    }

    /** Fails early with a clear message instead of a JVM that refuses to start. */
    public AgentAttachment requireJar() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not found: " + jar
                    + " (build it with: mvn -q -pl agent -am package -DskipTests)");
        }
        return this;
    }

    /** The JVM option, with an absolute path: executors start in their own working directory. */
    public String jvmOption() {
        return args.isEmpty() ? "-javaagent:" + jar : "-javaagent:" + jar + "=" + args;
    }
}
