package dev.sluice.testkit.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongSerializer;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes a scenario's records to one topic: a backlog of N records put at once, then an offered rate (records/s) on a
 * background thread. Each record's value is a unique id (a long), its key the current {@link #key(Long)} (none unless
 * set: the test bed puts the scenario's cost there), partition {@code id % partitions}, so the
 * partitions fill evenly. Every acknowledgement goes into the {@link Ledger}. Offering paces itself on the wall clock
 * in 10 ms slices and catches up after a stall, so the offered total tracks rate × time.
 */
public final class TopicFeed implements AutoCloseable {

    private static final long SLICE_MS = 10;

    private final String topic;
    private final int partitions;
    private final KafkaProducer<Long, Long> producer;
    private final Ledger ledger;
    private final AtomicLong nextId = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile double rate;
    private volatile Long key;
    private volatile boolean running = true;
    private Thread offering;

    public TopicFeed(String bootstrapServers, String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        this.ledger = new Ledger(partitions);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        // On a loaded machine the broker may lag for minutes; a record must wait, not expire (a hole in the ledger).
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        // Idempotence keeps each partition's offsets in send order even when a batch is retried.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(p, new LongSerializer(), new LongSerializer());
    }

    /** Puts {@code records} on the topic now and waits until the broker acknowledged them all. */
    public void backlog(long records) {
        for (long i = 0; i < records; i++) {
            send();
        }
        producer.flush();
        checkFailure();
    }

    /** Offers {@code recordsPerSecond} from now on (0 pauses), on a background thread started at the first call. */
    public synchronized void offer(double recordsPerSecond) {
        rate = recordsPerSecond;
        if (offering == null) {
            offering = new Thread(this::offerLoop, "topic-feed-" + topic);
            offering.setDaemon(true);
            offering.start();
        }
    }

    /** The key of the records sent from now on (null: none). */
    public void key(Long key) {
        this.key = key;
    }

    /** Stops offering and waits until everything sent is acknowledged. */
    public void stop() {
        running = false;
        Thread t;
        synchronized (this) {
            t = offering;
        }
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.flush();
        checkFailure();
    }

    public Ledger ledger() {
        return ledger;
    }

    /** Records sent so far (acknowledged or not yet). */
    public long sent() {
        return nextId.get();
    }

    public int partitions() {
        return partitions;
    }

    @Override
    public void close() {
        running = false;
        producer.close(java.time.Duration.ofSeconds(10));
    }

    private void offerLoop() {
        long start = System.nanoTime();
        double owed = 0;
        long last = start;
        while (running) {
            long now = System.nanoTime();
            owed += rate * (now - last) / 1e9;
            last = now;
            while (owed >= 1 && running) {
                send();
                owed -= 1;
            }
            try {
                Thread.sleep(SLICE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send() {
        long id = nextId.getAndIncrement();
        int partition = (int) (id % partitions);
        producer.send(new ProducerRecord<>(topic, partition, key, id), (meta, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            } else {
                ledger.acknowledged(meta.partition(), meta.offset(), id, System.currentTimeMillis());
            }
        });
    }

    private void checkFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw new IllegalStateException("the broker refused a record of " + topic, t);
        }
    }
}
