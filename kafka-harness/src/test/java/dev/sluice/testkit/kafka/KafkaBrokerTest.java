package dev.sluice.testkit.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The harness end to end on a real broker JVM: start (KRaft, storage formatted), a 4-partition topic, a backlog and an
 * offered rate, every record read back by an independent consumer and compared with the producer's ledger, stop (no
 * process left, directory gone). Heavy: run it under the machine's heavy lock.
 */
class KafkaBrokerTest {

    private static final String TOPIC = "harness-check";
    private static final int PARTITIONS = 4;
    private static final int BACKLOG = 20_000;

    @Test
    void producesAndConsumesAKnownSetOfRecordsThenLeavesNoProcess() throws Exception {
        long pid;
        Path dir;
        try (KafkaBroker broker = KafkaBroker.start()) {
            pid = broker.pid();
            dir = broker.dir();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker JVM not running");
            assertTrue(ProcessHandle.current().pid() != pid, "the broker must run in its own JVM");
            broker.createTopic(TOPIC, PARTITIONS);
            Ledger ledger;
            long sent;
            try (TopicFeed feed = new TopicFeed(broker.bootstrapServers(), TOPIC, PARTITIONS)) {
                feed.backlog(BACKLOG);
                assertEquals(BACKLOG, feed.ledger().total(), "backlog acknowledged");
                feed.offer(5_000);
                // what the offered rate produces, not how fast: a loaded machine may take longer than a second
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (feed.sent() < BACKLOG + 5_000 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                feed.stop();
                ledger = feed.ledger();
                sent = feed.sent();
            }
            assertEquals(sent, ledger.total(), "every record sent was acknowledged");
            assertTrue(sent >= BACKLOG + 5_000, "the offered rate produced only " + (sent - BACKLOG) + " in 60 s");
            for (int p = 0; p < PARTITIONS; p++) {
                // id % 4 partitioning: the partitions differ by at most one record.
                assertTrue(Math.abs(ledger.endOffset(p) - sent / PARTITIONS) <= 1, "partition " + p + " holds "
                        + ledger.endOffset(p) + " of " + sent);
            }
            long[] counts = new long[PARTITIONS];
            long[] sums = new long[PARTITIONS];
            consumeAll(broker.bootstrapServers(), ledger, counts, sums);
            for (int p = 0; p < PARTITIONS; p++) {
                assertEquals(ledger.endOffset(p), counts[p], "records read from partition " + p);
                assertEquals(ledger.checksum(p, 0, ledger.endOffset(p)), sums[p], "checksum of partition " + p);
            }
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker JVM " + pid
                + " still running after close");
        assertFalse(Files.exists(dir), "broker directory left behind: " + dir);
    }

    private static void consumeAll(String bootstrap, Ledger ledger, long[] counts, long[] sums) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        try (KafkaConsumer<Long, Long> c = new KafkaConsumer<>(p, new LongDeserializer(), new LongDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                tps.add(new TopicPartition(TOPIC, i));
            }
            c.assign(tps);
            c.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && sum(counts) < ledger.total()) {
                for (ConsumerRecord<Long, Long> r : c.poll(Duration.ofMillis(500))) {
                    assertEquals(counts[r.partition()], r.offset(), "offsets read in order without gaps");
                    counts[r.partition()]++;
                    sums[r.partition()] += Ledger.mix(r.value());
                }
            }
        }
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}
