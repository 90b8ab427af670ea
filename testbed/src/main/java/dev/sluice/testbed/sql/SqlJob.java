package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.AgentAttachment;
import dev.sluice.testbed.cluster.SparkHome;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What both sources' runners share: the Spark home, the examples jar, the agent and the scenario. */
public record SqlJob(SparkHome home, Path examplesJar, Path agentJar, SqlScenario scenario, PrintStream console) {

    /** The agent as users attach it (no argument) in the sluice mode; none otherwise. */
    AgentAttachment agentFor(SqlMode mode) {
        return mode == SqlMode.SLUICE ? new AgentAttachment(agentJar, "") : null;
    }

    /** The query's run length plus Spark's start-up, warm-up and the sink's read-back: the launcher's timeout base. */
    int launchSeconds() {
        return scenario.querySeconds() + 60;
    }

    static void emptyDir(Path dir) {
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
        }
    }

    /** Sleeps until an epoch ms; false if interrupted. */
    static boolean sleepUntil(long epochMs) {
        try {
            long wait = epochMs - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
