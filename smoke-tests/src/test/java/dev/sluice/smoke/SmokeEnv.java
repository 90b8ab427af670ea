package dev.sluice.smoke;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Paths given by the pom (surefire system properties), checked with a message that says how to fix them. */
final class SmokeEnv {

    private SmokeEnv() {
    }

    static Path agentJar() {
        return existing("sluice.agent.jar", "mvn -q -pl agent -am package -DskipTests");
    }

    static Path examplesJar() {
        return existing("sluice.examples.jar", "mvn -q -pl examples -am package -DskipTests");
    }

    static Path otelAgentJar() {
        return existing("sluice.otel.agent.jar", "mvn -pl smoke-tests generate-test-resources (copies it from Maven "
                + "Central)");
    }

    static Path runsDir() {
        String v = System.getProperty("sluice.smoke.runs");
        return (v == null ? Paths.get("target", "smoke-runs") : Paths.get(v)).toAbsolutePath().normalize();
    }

    private static Path existing(String property, String build) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through the "
                    + "smoke-tests pom: mvn -pl smoke-tests -am verify)");
        }
        Path p = Paths.get(v).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(p + " does not exist; build it first: " + build);
        }
        return p;
    }
}
