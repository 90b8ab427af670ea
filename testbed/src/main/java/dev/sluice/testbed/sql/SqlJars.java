package dev.sluice.testbed.sql;

import dev.sluice.testbed.cluster.SparkHome;
import dev.sluice.testbed.cluster.SparkVersion;
import dev.sluice.testkit.kafka.MavenJars;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Spark SQL (and its Kafka source) for a Structured Streaming application's class path: the test bed's Spark homes
 * hold Spark's streaming jars only, so the SQL jars travel beside the application, as a user ships a connector.
 */
public final class SqlJars {

    private SqlJars() {
    }

    /**
     * spark-token-provider-kafka-0-10's version to run with a line's spark-sql-kafka-0-10, when Maven Central does not
     * serve the line's own (4.1.0's is not served here: 4.1.1's is the nearest); null when it does.
     */
    public static String tokenProviderFor(SparkVersion spark) {
        return spark.major() >= 4 ? "4.1.1" : null;
    }

    /**
     * Spark SQL of the home's line with spark-sql-kafka-0-10 and their runtime dependencies, minus every artifact the
     * Spark home already holds (its versions win, as in a Spark distribution).
     *
     * @param tokenProviderVersion see {@link #tokenProviderFor}; null: the line's own
     */
    public static List<Path> sqlAndKafka(SparkHome home, String tokenProviderVersion) throws IOException {
        String scala = home.version().scalaBinary();
        String version = home.version().toString().split("/")[0];
        String token = "spark-token-provider-kafka-0-10_" + scala;
        String deps = dependency("spark-sql_" + scala, version);
        if (tokenProviderVersion == null) {
            deps += dependency("spark-sql-kafka-0-10_" + scala, version);
        } else {
            deps += dependency("spark-sql-kafka-0-10_" + scala, version).replace("</dependency>",
                    "<exclusions><exclusion><groupId>org.apache.spark</groupId><artifactId>" + token
                            + "</artifactId></exclusion></exclusions></dependency>")
                    + dependency(token, tokenProviderVersion);
        }
        return notInHome(home, MavenJars.resolve("sql-kafka-" + scala + "-" + version
                + (tokenProviderVersion == null ? "" : "-token-" + tokenProviderVersion), deps, null, 30));
    }

    /** Spark SQL of the home's line alone (a file source needs no connector), minus what the home holds. */
    public static List<Path> sqlOnly(SparkHome home) throws IOException {
        String scala = home.version().scalaBinary();
        String version = home.version().toString().split("/")[0];
        return notInHome(home, MavenJars.resolve("sql-" + scala + "-" + version,
                dependency("spark-sql_" + scala, version), null, 30));
    }

    /** The jars of {@code libs} whose artifact the Spark home does not hold (its versions win, as in a distribution). */
    private static List<Path> notInHome(SparkHome home, Path libs) throws IOException {
        Set<String> inHome = new HashSet<>();
        try (var jars = Files.list(home.jarsDir())) {
            jars.forEach(j -> inHome.add(artifactOf(j)));
        }
        List<Path> out = new ArrayList<>();
        for (Path j : MavenJars.jarsIn(libs)) {
            if (!inHome.contains(artifactOf(j))) {
                out.add(j);
            }
        }
        return out;
    }

    private static String artifactOf(Path jar) {
        return jar.getFileName().toString().replaceFirst("-\\d[^-]*(-[A-Za-z0-9.]+)*\\.jar$", "");
    }

    private static String dependency(String artifact, String version) {
        return "<dependency><groupId>org.apache.spark</groupId><artifactId>" + artifact + "</artifactId><version>"
                + version + "</version></dependency>";
    }
}
