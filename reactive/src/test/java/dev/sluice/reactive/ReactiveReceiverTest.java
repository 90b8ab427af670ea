package dev.sluice.reactive;

import static dev.sluice.reactive.SubscriptionSessionTest.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import scala.Option;

/**
 * The receiver under Spark's real {@code ReceiverSupervisor} life cycle (start, stop, restart after a delay), with a
 * recording storage end. Multi-JVM Spark is the smoke test's job.
 */
class ReactiveReceiverTest {

    private final List<CountingPublisher> publishers = new CopyOnWriteArrayList<>();
    private RecordingSupervisor supervisor;

    @AfterEach
    void stopSupervisor() {
        if (supervisor != null && !supervisor.isReceiverStopped()) {
            supervisor.stop("test over", Option.empty());
        }
    }

    private ReactiveReceiver<Long> receiver(long limit, long failFirstAfter) {
        ReactiveReceiverOptions options = ReactiveReceiverOptions.defaults().withBlockIntervalMillis(20)
                .withRestartDelayMillis(10, 100).withFallbackRate(1_000);
        return new ReactiveReceiver<>(() -> {
            CountingPublisher p = new CountingPublisher(limit, publishers.isEmpty() ? failFirstAfter : Long.MAX_VALUE);
            publishers.add(p);
            return p;
        }, StorageLevel.MEMORY_ONLY(), options);
    }

    @Test
    void demandFollowsSparksRateLimitAndBlocksAreStoredInBulk() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 2_500; // 50 per 20 ms interval
        supervisor.start();
        waitUntil(() -> supervisor.stored.size() >= 500);
        CountingPublisher p = publishers.get(0);
        assertEquals(50, p.maxSingleRequest.get());
        supervisor.rateLimit = 10_000; // 200 per interval, seen at the next interval
        long before = p.requestedTotal.get();
        waitUntil(() -> p.requestedTotal.get() > before + 1_000);
        assertEquals(200, p.maxSingleRequest.get());
        assertEquals(0, supervisor.singleStores.get(), "records go in blocks, never one by one");
        assertTrue(supervisor.blocks.get() > 1);
    }

    @Test
    void unlimitedRateUsesTheFallback() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.start(); // getCurrentRateLimit() == Long.MAX_VALUE
        waitUntil(() -> supervisor.stored.size() >= 100);
        assertEquals(20, publishers.get(0).maxSingleRequest.get(), "1000/s fallback = 20 per 20 ms");
    }

    @Test
    void stopCancelsTheSubscriptionAndStoresEverythingEmitted() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 5_000;
        supervisor.start();
        waitUntil(() -> supervisor.stored.size() >= 300);
        supervisor.stop("test stop", Option.empty());
        CountingPublisher p = publishers.get(0);
        assertEquals(1, p.cancels.get());
        assertEquals(p.emittedTotal.get(), supervisor.stored.size());
        assertEquals(0, r.session().subscriber().discarded());
        for (int i = 0; i < supervisor.stored.size(); i++) {
            assertEquals((long) i, supervisor.stored.get(i));
        }
    }

    @Test
    void publisherErrorRestartsTheReceiverWithAFreshSubscription() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, 70);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 2_500;
        supervisor.start();
        SubscriptionSession<Long> first = awaitSession(r);
        waitUntil(() -> publishers.size() >= 2 && publishers.get(1).emittedTotal.get() >= 100);
        assertNotSame(first, r.session());
        assertTrue(first.subscriber().isTerminated());
        assertEquals(0, publishers.get(0).cancels.get(), "no cancel after onError (rule 2.4)");
        // The 70 records received before the failure were stored, then the new subscription's from 0 again.
        assertEquals(70, first.subscriber().stored());
        for (int i = 0; i < 70; i++) {
            assertEquals((long) i, supervisor.stored.get(i));
        }
        assertEquals(0L, supervisor.stored.get(70));
        assertTrue(supervisor.isReceiverStarted());
    }

    @Test
    void publisherCompletionStopsTheReceiverAfterStoringEverything() throws Exception {
        ReactiveReceiver<Long> r = receiver(345, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 10_000;
        supervisor.start();
        waitUntil(() -> supervisor.isReceiverStopped());
        assertEquals(345, supervisor.stored.size());
        assertEquals(1, publishers.size(), "completion is not a restart");
        assertEquals(0, publishers.get(0).cancels.get());
    }

    @Test
    void theReceiverSerializesWithItsFactory() throws Exception {
        ReactiveReceiver<Long> r = new ReactiveReceiver<>(
                (PublisherFactory<Long>) () -> CountingPublisher.endless(), StorageLevel.MEMORY_AND_DISK_SER_2(),
                ReactiveReceiverOptions.defaults().withFallbackRate(123));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(r);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            ReactiveReceiver<Long> copy = (ReactiveReceiver<Long>) in.readObject();
            assertEquals(123, copy.options().fallbackRate());
            assertFalse(copy.session() != null);
        }
    }

    private static SubscriptionSession<Long> awaitSession(ReactiveReceiver<Long> r) throws InterruptedException {
        waitUntil(() -> r.session() != null);
        return r.session();
    }
}
