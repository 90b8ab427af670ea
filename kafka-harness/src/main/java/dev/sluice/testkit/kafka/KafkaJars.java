package dev.sluice.testkit.kafka;

import java.nio.file.Path;
import java.util.List;

/** The Kafka jars the harness and the Spark jobs need, from Maven Central through {@link MavenJars}. */
public final class KafkaJars {

    /** The broker's version when none is given: the build's {@code kafka.broker.version}. */
    public static final String DEFAULT_BROKER_VERSION = System.getProperty("sluice.kafka.version", "4.1.1");

    private KafkaJars() {
    }

    /** Apache Kafka's server ({@code kafka_2.13}) and every runtime dependency: the broker JVM's class path. */
    public static Path broker(String version) {
        return MavenJars.resolve("broker-" + version, dependency("org.apache.kafka", "kafka_2.13", version), null, 20);
    }

    /**
     * Spark's Kafka 0-10 DStream connector for a Spark line, with the two jars it needs beyond a Spark home
     * ({@code spark-token-provider-kafka-0-10} and {@code kafka-clients}): what a user adds with {@code --packages}.
     * Maven Central does not serve the connector at every Spark patch version; callers pick a served one.
     */
    public static List<Path> sparkConnector(String scalaBinary, String connectorVersion) {
        String connector = "spark-streaming-kafka-0-10_" + scalaBinary;
        String token = "spark-token-provider-kafka-0-10_" + scalaBinary;
        Path libs = MavenJars.resolve("connector-" + scalaBinary + "-" + connectorVersion,
                dependency("org.apache.spark", connector, connectorVersion),
                connector + "," + token + ",kafka-clients", 3);
        return MavenJars.jarsIn(libs);
    }

    private static String dependency(String group, String artifact, String version) {
        return "<dependency><groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>"
                + version + "</version></dependency>";
    }
}
