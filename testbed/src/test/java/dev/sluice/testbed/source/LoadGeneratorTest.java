package dev.sluice.testbed.source;

import dev.sluice.testbed.scenario.Rate;
import dev.sluice.testbed.scenario.ResolvedScenario;
import dev.sluice.testbed.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pacing measured on counting loopback clients over seconds (not a timing assertion on any hot path): the generator
 * must deliver its rate within 2 %, and must not slow down for a reader that does not read.
 */
class LoadGeneratorTest {

    /** Reads lines as fast as it can and counts them (and their bytes). */
    static final class CountingClient implements AutoCloseable {
        final AtomicLong lines = new AtomicLong();
        final AtomicLong badLines = new AtomicLong();
        private final Socket socket;
        private final Thread thread;

        CountingClient(int port) throws Exception {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            thread = new Thread(this::read, "counting-client");
            thread.setDaemon(true);
            thread.start();
        }

        private void read() {
            byte[] buf = new byte[1 << 16];
            int inLine = 0;
            try (InputStream in = socket.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        inLine++;
                        if (buf[i] == '\n') {
                            if (inLine != Records.LENGTH) {
                                badLines.incrementAndGet();
                            }
                            lines.incrementAndGet();
                            inLine = 0;
                        }
                    }
                }
            } catch (Exception closed) {
                // end of test
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(2000);
        }
    }

    @Test
    void holdsItsRateWithinTwoPercentOnCountingClients(@TempDir Path dir) throws Exception {
        double rate = 6000;
        ResolvedScenario s = Scenario.builder("pace").hold(60_000, Rate.absolute(rate), 7).build().resolve(0);
        try (LoadGenerator gen = new LoadGenerator(s, List.of("a", "b"), dir.resolve("source.csv"))) {
            List<CountingClient> clients = new ArrayList<>();
            for (int port : gen.ports()) {
                clients.add(new CountingClient(port));
            }
            assertTrue(gen.awaitConnections(5000));
            gen.start();
            Thread.sleep(1000); // settle
            long before = total(clients);
            long t0 = System.nanoTime();
            Thread.sleep(4000);
            long after = total(clients);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double measured = (after - before) / seconds;
            assertEquals(rate, measured, rate * 0.02, "records/s delivered to the clients over " + seconds + " s");
            assertEquals(0, gen.totals().dropped(), "readers keep up: nothing may be dropped at the source");
            for (CountingClient c : clients) {
                assertEquals(0, c.badLines.get(), "every line is a whole record of " + Records.LENGTH + " bytes");
                c.close();
            }
        }
        List<String> csv = Files.readAllLines(dir.resolve("source.csv"));
        assertEquals(LoadGenerator.CSV_HEADER, csv.get(0));
        assertTrue(csv.size() >= 1 + 2 * 4, "one line per feed per second: " + csv);
    }

    @Test
    void dropsWhatASlowReaderDoesNotTakeInsteadOfSlowingDown(@TempDir Path dir) throws Exception {
        double rate = 50_000;
        ResolvedScenario s = Scenario.builder("stall").hold(60_000, Rate.absolute(rate), 7).build().resolve(0);
        try (LoadGenerator gen = new LoadGenerator(s, List.of("only"), dir.resolve("source.csv"));
             Socket idle = new Socket(InetAddress.getLoopbackAddress(), gen.ports().get(0))) {
            assertTrue(gen.awaitConnections(5000));
            gen.start();
            Thread.sleep(3000); // the reader never reads: socket buffers fill, then everything is dropped
            LoadGenerator.Totals t = gen.totals();
            assertEquals(rate * 3, t.intended(), rate * 3 * 0.05, "intended keeps the scenario's pace");
            assertEquals(t.intended(), t.sent() + t.dropped());
            assertTrue(t.dropped() > t.intended() / 2, "most records dropped at the source: " + t);
            // The reader now reads: what it gets are whole records only.
            InputStream in = idle.getInputStream();
            byte[] b = new byte[Records.LENGTH * 10];
            int n = in.readNBytes(b, 0, b.length);
            assertEquals(b.length, n);
            for (int i = 0; i < 10; i++) {
                assertEquals('\n', b[i * Records.LENGTH + Records.LENGTH - 1]);
            }
        }
    }

    @Test
    void demandDrivenFeedSendsOnlyWhatWasRequestedAndDropsTheRestAtTheSource(@TempDir Path dir) throws Exception {
        ResolvedScenario s = Scenario.builder("demand").hold(60_000, Rate.absolute(5000), 7).build().resolve(0);
        try (LoadGenerator gen = new LoadGenerator(s, List.of("reactive"), dir.resolve("source.csv"))) {
            java.util.concurrent.LinkedBlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
            java.util.concurrent.atomic.AtomicReference<org.reactivestreams.Subscription> sub =
                    new java.util.concurrent.atomic.AtomicReference<>();
            new dev.sluice.testbed.job.DemandTcpPublisher("127.0.0.1", gen.ports().get(0))
                    .subscribe(new org.reactivestreams.Subscriber<String>() {
                        @Override
                        public void onSubscribe(org.reactivestreams.Subscription s) {
                            sub.set(s);
                        }

                        @Override
                        public void onNext(String line) {
                            got.add(line);
                        }

                        @Override
                        public void onError(Throwable t) {
                            got.add("error " + t);
                        }

                        @Override
                        public void onComplete() {
                        }
                    });
            assertTrue(gen.awaitConnections(5000));
            gen.start();
            sub.get().request(300);
            sub.get().request(200);
            Thread.sleep(1500);
            assertEquals(500, got.size(), "exactly the demand, no more");
            assertEquals(7, Records.cost(got.peek()), "records carry the scenario's cost: " + got.peek());
            LoadGenerator.Totals t = gen.totals();
            assertEquals(500, t.sent());
            assertTrue(t.dropped() > 5000, "the rest is dropped at the source: " + t);
            sub.get().request(1000);
            Thread.sleep(500);
            assertEquals(1500, got.size(), "more demand, more records");
            sub.get().cancel();
        }
    }

    @Test
    void recordsCarryCostAndSendTime() {
        ByteBuffer buf = ByteBuffer.allocate(Records.LENGTH);
        Records.write(buf, 8, 1234567, 1700000000123L);
        assertEquals(Records.LENGTH, buf.position());
        String line = new String(buf.array(), 0, Records.LENGTH - 1, java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(8, Records.cost(line));
        assertEquals(1700000000123L, Records.sendEpochMs(line));
        assertTrue(line.startsWith("8,1234567,1700000000123,x"), line);
        assertEquals(-1, Records.cost("garbage"));
        assertEquals(-1, Records.sendEpochMs("1,2"));
    }

    private static long total(List<CountingClient> clients) {
        long n = 0;
        for (CountingClient c : clients) {
            n += c.lines.get();
        }
        return n;
    }
}
