package dev.sluice.testbed.kafka;

import dev.sluice.testbed.cluster.SparkVersion;
import dev.sluice.testkit.kafka.KafkaBroker;
import dev.sluice.testkit.kafka.KafkaJars;
import dev.sluice.testkit.kafka.TopicFeed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a Kafka direct-stream run stands on: a real KRaft broker (its own JVM), one topic and a producer with its ledger
 * ({@code kafka-harness}), plus the connector jars a user ships beside the application jar. Shared by the test bed's
 * {@code kafka} source and the Kafka smoke tests. Closing stops the producer and the broker.
 */
public final class KafkaRig implements AutoCloseable {

    /** Partitions of the topic (records spread evenly over them). */
    public static final int PARTITIONS = 4;

    private final KafkaBroker broker;
    private final TopicFeed feed;
    private final String topic;

    private KafkaRig(KafkaBroker broker, TopicFeed feed, String topic) {
        this.broker = broker;
        this.feed = feed;
        this.topic = topic;
    }

    /**
     * Starts a broker in {@code brokerDir} (emptied first; kept after close so broker.log can be read), creates
     * {@code topic} with {@code partitions} and opens its producer. The directory must lie outside any Spark run
     * directory: the launcher ends every process whose command line names the run directory when the driver ends.
     */
    public static KafkaRig start(Path brokerDir, String topic, int partitions) {
        deleteRecursively(brokerDir);
        KafkaBroker broker = KafkaBroker.start(KafkaJars.DEFAULT_BROKER_VERSION, brokerDir, false);
        try {
            broker.createTopic(topic, partitions);
            return new KafkaRig(broker, new TopicFeed(broker.bootstrapServers(), topic, partitions), topic);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    /** The consumer group the jobs use for a topic (their commits are read back under it). */
    public static String groupOf(String topic) {
        return "sluice-" + topic;
    }

    /**
     * The spark-streaming-kafka-0-10 version run with a Spark line: the nearest one Maven Central serves (it serves
     * no 3.5.7 and no 4.1.x connector; 3.5.1 and 4.2.0 are served and match their lines' Kafka classes).
     */
    public static String nearestServedConnector(SparkVersion spark) {
        return spark.major() >= 4 ? "4.2.0" : "3.5.1";
    }

    /** The connector, its token provider and kafka-clients for {@code spark}: the jars shipped beside the app jar. */
    public static List<Path> connectorJars(SparkVersion spark) {
        return KafkaJars.sparkConnector(spark.scalaBinary(), nearestServedConnector(spark));
    }

    public KafkaBroker broker() {
        return broker;
    }

    public TopicFeed feed() {
        return feed;
    }

    public String topic() {
        return topic;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** The offsets the job committed under {@link #groupOf(String)}. */
    public Map<Integer, Long> committedOffsets() {
        return broker.committedOffsets(groupOf(topic));
    }

    /** Throws when the broker JVM died (a producer would otherwise wait on it for its delivery timeout). */
    public void checkAlive() {
        if (!broker.alive()) {
            throw new IllegalStateException("the Kafka broker died during the run; see " + broker.dir());
        }
    }

    @Override
    public void close() {
        try {
            feed.close();
        } finally {
            broker.close();
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
