package dev.sluice.testkit.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker in its own JVM on loopback, KRaft combined mode (one node is broker and controller):
 * storage formatted with Kafka's storage tool, {@code server.properties} written with free ports, readiness awaited
 * through the admin API, and on {@link #close()} the JVM stopped by its pid (SIGTERM, then SIGKILL after a grace) and
 * its directory deleted. No Docker, no embedded broker in the caller's JVM: its jars (Scala 2.13, its own logging)
 * never meet the caller's class path.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path dir;
    private final int port;
    private final Process process;
    private final boolean deleteOnClose;

    private KafkaBroker(Path dir, int port, Process process, boolean deleteOnClose) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.deleteOnClose = deleteOnClose;
    }

    /** Starts a broker of the build's Kafka version in a new temporary directory, deleted on close. */
    public static KafkaBroker start() {
        try {
            return start(KafkaJars.DEFAULT_BROKER_VERSION, Files.createTempDirectory("sluice-kafka-"), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param dir           the broker's directory (server.properties, data, broker.log)
     * @param deleteOnClose whether {@link #close()} deletes {@code dir} (keep it to read broker.log after a run)
     */
    public static KafkaBroker start(String version, Path dir, boolean deleteOnClose) {
        Path libs = KafkaJars.broker(version);
        try {
            Files.createDirectories(dir);
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            Files.writeString(config, serverProperties(port, controllerPort, dir.resolve("data")),
                    StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("log4j2.properties"), log4j(dir.resolve("broker.log")),
                    StandardCharsets.UTF_8);
            format(libs, dir, config);
            Process p = new ProcessBuilder(java(libs, dir, "kafka.Kafka", config.toString()))
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("broker-stdout.log").toFile()).start();
            KafkaBroker broker = new KafkaBroker(dir, port, p, deleteOnClose);
            try {
                broker.awaitReady();
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a Kafka broker in " + dir, e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Whether the broker JVM still runs (a producer waiting on a dead broker would wait its delivery timeout). */
    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public Path dir() {
        return dir;
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(p);
    }

    /** Creates a topic (replication 1) and waits until the broker has it. */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic + " on " + bootstrapServers(), e);
        }
    }

    /** The offsets a consumer group committed, per partition (empty when it committed none). */
    public Map<Integer, Long> committedOffsets(String group) {
        Map<Integer, Long> out = new TreeMap<>();
        try (Admin admin = admin()) {
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, om) -> {
                        if (om != null) {
                            out.put(tp.partition(), om.offset());
                        }
                    });
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the committed offsets of " + group, e);
        }
        return out;
    }

    /** Stops the broker JVM by its pid (SIGTERM, SIGKILL after the grace period) and deletes its directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (deleteOnClose) {
            deleteTree(dir);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + " before it "
                        + "was ready; see " + dir.resolve("broker-stdout.log") + " and broker.log");
            }
            try (Admin admin = admin()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
            sleep(500);
        }
        throw new IllegalStateException("the Kafka broker on " + bootstrapServers() + " was not ready within "
                + READY_TIMEOUT + "; see " + dir.resolve("broker.log"), last);
    }

    private static void format(Path libs, Path dir, Path config) throws IOException {
        List<String> cmd = java(libs, dir, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString());
        Path log = dir.resolve("format.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the Kafka storage tool did not finish in 60 s; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while formatting", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("the Kafka storage tool failed (exit " + p.exitValue() + "): "
                    + Files.readString(log));
        }
    }

    private static List<String> java(Path libs, Path dir, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small and quiet: the broker shares 2 cores with Spark in the tests.
        cmd.addAll(List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-Dkafka.logs.dir=" + dir, "-cp", libs.toAbsolutePath() + "/*", mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    static String serverProperties(int port, int controllerPort, Path data) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.put("log.dirs", data.toAbsolutePath().toString());
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        StringBuilder sb = new StringBuilder("# written by dev.sluice.testkit.kafka.KafkaBroker\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static String log4j(Path file) {
        return """
                status = warn
                appender.file.type = File
                appender.file.name = file
                appender.file.fileName = %s
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = [%%d] %%p %%m (%%c)%%n
                rootLogger.level = INFO
                rootLogger.appenderRef.file.ref = file
                logger.kafka.name = kafka
                logger.kafka.level = INFO
                logger.state.name = state.change.logger
                logger.state.level = WARN
                """.formatted(file.toAbsolutePath());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
