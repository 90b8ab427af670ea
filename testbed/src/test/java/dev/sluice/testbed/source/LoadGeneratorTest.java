package dev.sluice.testbed.source;

import dev.sluice.testbed.job.DemandTcpPublisher;
import dev.sluice.testbed.scenario.Rate;
import dev.sluice.testbed.scenario.ResolvedScenario;
import dev.sluice.testbed.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pacing on a {@link VirtualClock}: the test runs each pacing step itself, so every count is exact for the virtual
 * time elapsed. The feeds are real loopback sockets; a read blocks only until bytes the generator has already
 * written arrive (with a socket timeout for liveness). One test runs the generator's own threads on real time and
 * asserts only what arrives, never how fast.
 */
class LoadGeneratorTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final int LIVENESS_MS = 20_000;

    private final VirtualClock clock = new VirtualClock(T0);

    /** A loopback client the test reads itself, checking every line is a whole record. */
    static final class Reader implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final List<String> lines = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        long bytes;

        Reader(int port) throws Exception {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(LIVENESS_MS);
            in = socket.getInputStream();
        }

        /** Reads until {@code totalBytes} have arrived since the connection opened (blocking, bounded by liveness). */
        void readUpTo(long totalBytes) throws Exception {
            byte[] buf = new byte[1 << 16];
            while (bytes < totalBytes) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, totalBytes - bytes));
                assertTrue(n > 0, "connection closed after " + bytes + " bytes");
                take(buf, n);
            }
        }

        /** Reads what one blocking read returns (at least one byte). */
        void readSome() throws Exception {
            byte[] buf = new byte[1 << 16];
            int n = in.read(buf);
            assertTrue(n > 0, "connection closed after " + bytes + " bytes");
            take(buf, n);
        }

        private void take(byte[] buf, int n) {
            bytes += n;
            for (int i = 0; i < n; i++) {
                partial.append((char) buf[i]);
                if (buf[i] == '\n') {
                    assertEquals(Records.LENGTH, partial.length(), "a whole record per line: " + partial);
                    lines.add(partial.substring(0, partial.length() - 1));
                    partial.setLength(0);
                }
            }
        }

        long seq(int line) {
            return Long.parseLong(lines.get(line).split(",")[1]);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static ResolvedScenario hold(double rate, long durationMs) {
        return Scenario.builder("hold").hold(durationMs, Rate.absolute(rate), 7).build().resolve(0);
    }

    /** Accepts the clients that connected: a loopback connect is in the accept queue once it returns. */
    private static void accept(LoadGenerator gen) {
        gen.paceOnce();
        assertTrue(gen.allConnected(), "every feed has its client");
    }

    @Test
    void deliversExactlyTheScenarioIntegralWhateverTheWakeUpCadence() throws Exception {
        // 2000/s over two feeds: 1000/s each, 1 per ms.
        try (LoadGenerator gen = LoadGenerator.drivenBy(hold(2000, 60_000), List.of("a", "b"), clock);
             Reader a = new Reader(gen.ports().get(0));
             Reader b = new Reader(gen.ports().get(1))) {
            accept(gen);
            gen.paceOnce();
            assertEquals(0, gen.totals().intended(), "nothing is due before start()");
            gen.start();
            StringWriter log = new StringWriter();
            BufferedWriter logOut = new BufferedWriter(log);
            long[][] last = new long[2][3];
            for (int second = 1; second <= 3; second++) {
                // 2 ms wake-ups, one of them 100 ms late (a busy machine): the due count only follows the clock.
                for (int ms = 0; ms < 1000; ) {
                    int step = ms == 500 ? 100 : 2;
                    clock.advance(step);
                    ms += step;
                    gen.paceOnce();
                    long offset = (second - 1) * 1000L + ms;
                    // Exact up to the floor of the double integral: a feed may be one record behind, never ahead.
                    long intended = gen.totals().intended();
                    assertTrue(intended <= 2 * offset && intended >= 2 * offset - 2,
                            intended + " issued at " + offset + " ms, due " + 2 * offset);
                    // The reader keeps up: it takes every byte written before the next step.
                    a.readUpTo(gen.totals().sent() / 2 * Records.LENGTH);
                    b.readUpTo(gen.totals().sent() / 2 * Records.LENGTH);
                    assertEquals(clock.millis(), Records.sendEpochMs(a.lines.get(a.lines.size() - 1)),
                            "records carry the (virtual) time they were sent");
                }
                gen.logOnce(logOut, last);
            }
            LoadGenerator.Totals t = gen.totals();
            assertEquals(6000, t.intended());
            assertEquals(6000, t.sent());
            assertEquals(0, t.dropped(), "a reader that keeps up loses nothing at the source");
            for (Reader r : List.of(a, b)) {
                assertEquals(3000, r.lines.size());
                for (int i = 0; i < r.lines.size(); i++) {
                    assertEquals(i, r.seq(i), "consecutive records");
                    assertEquals(7, Records.cost(r.lines.get(i)));
                }
            }
            String[] csv = log.toString().split("\n");
            assertEquals(6, csv.length, log.toString());
            assertEquals((T0 + 1000) + ",1000,a,1000,1000,0,1", csv[0]);
            assertEquals((T0 + 1000) + ",1000,b,1000,1000,0,1", csv[1]);
            assertEquals((T0 + 3000) + ",3000,b,1000,1000,0,1", csv[5]);
        }
    }

    @Test
    void dropsWhatAStalledReaderDoesNotTakeAndKeepsThePace() throws Exception {
        double rate = 50_000;
        try (LoadGenerator gen = LoadGenerator.drivenBy(hold(rate, 3_000), List.of("only"), clock);
             Reader idle = new Reader(gen.ports().get(0))) {
            accept(gen);
            gen.start();
            for (int ms = 0; ms < 3_000; ms += 2) {
                clock.advance(2);
                gen.paceOnce(); // the reader never reads: socket buffers fill, then records are dropped
            }
            LoadGenerator.Totals t = gen.totals();
            assertEquals(150_000, t.intended(), "intended keeps the scenario's pace");
            assertEquals(t.intended(), t.sent() + t.dropped(), "every record is sent or counted as dropped");
            assertTrue(t.dropped() > t.intended() / 2, "most records dropped at the source: " + t);

            // The scenario is over, nothing new is due; the reader now reads everything that was sent. A record
            // the socket took only in part is completed by the next steps, so whole records arrive and no more.
            clock.advance(1_000);
            while (idle.bytes < t.sent() * Records.LENGTH) {
                gen.paceOnce();
                idle.readSome();
            }
            assertEquals(t.sent() * Records.LENGTH, idle.bytes);
            assertEquals(t.sent(), idle.lines.size());
            for (int i = 1; i < idle.lines.size(); i++) {
                assertTrue(idle.seq(i) > idle.seq(i - 1), "records in order, gaps only where whole ones dropped");
            }
            assertEquals(t, gen.totals(), "nothing was due after the scenario");
        }
    }

    @Test
    void demandDrivenFeedSendsOnlyWhatWasRequestedAndDropsTheRestAtTheSource() throws Exception {
        try (LoadGenerator gen = LoadGenerator.drivenBy(hold(5000, 60_000), List.of("reactive"), clock)) {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            AtomicReference<Subscription> sub = new AtomicReference<>();
            new DemandTcpPublisher("127.0.0.1", gen.ports().get(0)).subscribe(new Subscriber<String>() {
                @Override
                public void onSubscribe(Subscription s) {
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
            accept(gen);
            gen.start();
            sub.get().request(300);
            sub.get().request(200);
            advanceOneSecond(gen);
            LoadGenerator.Totals t = gen.totals();
            assertEquals(5000, t.intended());
            assertEquals(500, t.sent(), "exactly the demand, no more");
            assertEquals(4500, t.dropped(), "the rest is dropped at the source");
            List<String> first = take(got, 500);
            assertEquals(7, Records.cost(first.get(0)), "records carry the scenario's cost: " + first.get(0));

            advanceOneSecond(gen);
            assertEquals(500, gen.totals().sent(), "no demand, nothing sent");
            sub.get().request(1000);
            advanceOneSecond(gen);
            assertEquals(1500, gen.totals().sent(), "more demand, more records");
            assertEquals(15_000, gen.totals().intended());
            take(got, 1000);
            assertTrue(got.isEmpty(), "the subscriber got what was sent and nothing else: " + got.peek());
            sub.get().cancel();
        }
    }

    @Test
    void itsOwnThreadsServeWholeRecordsOnRealTime(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("source.csv");
        try (LoadGenerator gen = new LoadGenerator(hold(5000, 60_000), List.of("a"), csv);
             Reader r = new Reader(gen.ports().get(0))) {
            assertTrue(gen.awaitConnections(LIVENESS_MS));
            gen.start();
            r.readUpTo(200L * Records.LENGTH); // blocks until the pacing thread has sent 200 records
            for (int i = 1; i < r.lines.size(); i++) {
                assertTrue(r.seq(i) > r.seq(i - 1));
                assertEquals(7, Records.cost(r.lines.get(i)));
            }
        }
        // close() joined the log thread, which writes the header as it opens the file.
        assertEquals(LoadGenerator.CSV_HEADER, Files.readAllLines(csv).get(0));
    }

    @Test
    void recordsCarryCostAndSendTime() {
        ByteBuffer buf = ByteBuffer.allocate(Records.LENGTH);
        Records.write(buf, 8, 1234567, 1700000000123L);
        assertEquals(Records.LENGTH, buf.position());
        String line = new String(buf.array(), 0, Records.LENGTH - 1, StandardCharsets.US_ASCII);
        assertEquals(8, Records.cost(line));
        assertEquals(1700000000123L, Records.sendEpochMs(line));
        assertTrue(line.startsWith("8,1234567,1700000000123,x"), line);
        assertEquals(-1, Records.cost("garbage"));
        assertEquals(-1, Records.sendEpochMs("1,2"));
    }

    private void advanceOneSecond(LoadGenerator gen) {
        for (int ms = 0; ms < 1000; ms += 2) {
            clock.advance(2);
            gen.paceOnce();
        }
    }

    /** Event wait: the next {@code n} lines the subscriber receives (each within the liveness bound). */
    private static List<String> take(BlockingQueue<String> got, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String line = got.poll(LIVENESS_MS, TimeUnit.MILLISECONDS);
            assertNotNull(line, "only " + i + " of " + n + " lines arrived");
            assertTrue(!line.startsWith("error"), line);
            out.add(line);
        }
        return out;
    }
}
