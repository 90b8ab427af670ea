package dev.sluice.reactive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import scala.Option;

/**
 * The receiver under Spark's real {@code ReceiverSupervisor} life cycle (start, stop, restart after a delay), with a
 * recording storage end. Each session runs on a {@link ManualSessionScheduler} the test advances, so the figures are
 * exact for the number of intervals run; the only waits are for Spark's own threads (restart, stop), on latches.
 * Multi-JVM Spark is the smoke test's job.
 */
class ReactiveReceiverTest {

    private final List<CountingPublisher> publishers = new CopyOnWriteArrayList<>();
    /** One per session, in the order the receiver started them (Spark restarts on a thread of its own). */
    private final BlockingQueue<ManualSessionScheduler> schedulers = new LinkedBlockingQueue<>();
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
        return new ReactiveReceiver<Long>(() -> {
            CountingPublisher p = new CountingPublisher(limit, publishers.isEmpty() ? failFirstAfter : Long.MAX_VALUE);
            publishers.add(p);
            return p;
        }, StorageLevel.MEMORY_ONLY(), options) {
            @Override
            protected SessionScheduler newScheduler(String threadName) {
                ManualSessionScheduler s = new ManualSessionScheduler();
                schedulers.add(s);
                return s;
            }
        };
    }

    /** The next session's scheduler, once that session has subscribed and scheduled its intervals. */
    private ManualSessionScheduler nextSession() throws InterruptedException {
        ManualSessionScheduler s = schedulers.poll(20, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no new session was started");
        }
        s.awaitStarted();
        return s;
    }

    @Test
    void demandFollowsSparksRateLimitAndBlocksAreStoredInBulk() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 2_500; // 50 per 20 ms interval
        supervisor.start();
        ManualSessionScheduler session = nextSession();
        CountingPublisher p = publishers.get(0);
        session.advance(200);
        assertEquals(10 * 50, supervisor.stored.size(), "10 intervals stored what the 10 allowances before brought");
        assertEquals(11 * 50, p.requestedTotal.get());
        assertEquals(50, p.maxSingleRequest.get());

        supervisor.rateLimit = 10_000; // 200 per interval, seen at the next interval
        session.advance(20);
        assertEquals(11 * 50 + 200, p.requestedTotal.get());
        assertEquals(200, p.maxSingleRequest.get());
        assertEquals(0, supervisor.singleStores.get(), "records go in blocks, never one by one");
        assertEquals(11, supervisor.blocks.get(), "one block per interval");
    }

    @Test
    void unlimitedRateUsesTheFallback() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.start(); // getCurrentRateLimit() == Long.MAX_VALUE
        ManualSessionScheduler session = nextSession();
        session.advance(100);
        assertEquals(20, publishers.get(0).maxSingleRequest.get(), "1000/s fallback = 20 per 20 ms");
        assertEquals(6 * 20, publishers.get(0).requestedTotal.get());
        assertEquals(5 * 20, supervisor.stored.size());
    }

    @Test
    void stopCancelsTheSubscriptionAndStoresEverythingEmitted() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 5_000;
        supervisor.start();
        ManualSessionScheduler session = nextSession();
        session.advance(60);
        assertEquals(300, supervisor.stored.size());
        supervisor.stop("test stop", Option.empty());
        assertTrue(session.isStopped());
        CountingPublisher p = publishers.get(0);
        assertEquals(1, p.cancels.get());
        assertEquals(400, p.emittedTotal.get());
        assertEquals(p.emittedTotal.get(), supervisor.stored.size(), "stop stored the last interval's records");
        assertEquals(0, r.session().subscriber().discarded());
        for (int i = 0; i < supervisor.stored.size(); i++) {
            assertEquals((long) i, supervisor.stored.get(i));
        }
    }

    @Test
    void publisherErrorRestartsTheReceiverWithAFreshSubscription() throws Exception {
        ReactiveReceiver<Long> r = receiver(Long.MAX_VALUE, 70);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 2_500; // 50 per interval: the failure comes in the second allowance
        supervisor.start();
        ManualSessionScheduler firstScheduler = nextSession();
        SubscriptionSession<Long> first = r.session();
        firstScheduler.advance(20);
        assertTrue(first.subscriber().isTerminated());

        // Spark restarts the receiver on a thread of its own after the restart delay: a new session.
        ManualSessionScheduler second = nextSession();
        assertTrue(firstScheduler.isStopped(), "Spark stopped the failed session before starting the new one");
        assertNotSame(first, r.session());
        assertEquals(2, publishers.size());
        second.advance(40);
        assertEquals(150, publishers.get(1).emittedTotal.get());
        assertEquals(0, publishers.get(0).cancels.get(), "no cancel after onError (rule 2.4)");
        // The 70 records received before the failure were stored, then the new subscription's from 0 again.
        assertEquals(70, first.subscriber().stored());
        assertEquals(70 + 100, supervisor.stored.size());
        for (int i = 0; i < 70; i++) {
            assertEquals((long) i, supervisor.stored.get(i));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals((long) i, supervisor.stored.get(70 + i));
        }
        assertTrue(supervisor.isReceiverStarted());
    }

    @Test
    void publisherCompletionStopsTheReceiverAfterStoringEverything() throws Exception {
        ReactiveReceiver<Long> r = receiver(345, Long.MAX_VALUE);
        supervisor = new RecordingSupervisor(r);
        supervisor.rateLimit = 10_000; // 200 per interval: complete within the second allowance
        supervisor.start();
        ManualSessionScheduler session = nextSession();
        session.advance(20);
        // The receiver stops itself from a thread of its own.
        supervisor.awaitReceiverStopped();
        assertTrue(supervisor.isReceiverStopped());
        assertTrue(session.isStopped());
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
}
