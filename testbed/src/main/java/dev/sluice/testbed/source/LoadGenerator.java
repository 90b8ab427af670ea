package dev.sluice.testbed.source;

import dev.sluice.testbed.scenario.ResolvedScenario;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The load source: a thread in the runner process (outside Spark's JVMs) that paces records by a scenario and serves
 * them over loopback TCP, one {@link Feed} per receiver, each getting an equal share of the scenario's rate. The
 * scenario clock starts with {@link #start()}, normally once every receiver has connected, so Spark's start-up time
 * is not part of the scenario. Every second it appends to {@code source.csv}: per feed, what it meant to send, what it
 * sent and what it could not push.
 *
 * <p>The scenario's time is a {@link Clock}: the records due at each pacing step are the scenario's integral up to the
 * clock's now, so the pacing thread's wake-ups (every 2 ms, real time) only decide how often the due records are
 * pushed, never how many. Tests build one on a virtual clock with {@link #drivenBy(ResolvedScenario, List, Clock)}
 * and run the steps themselves.
 */
public final class LoadGenerator implements AutoCloseable {

    public static final String CSV_HEADER = "epochMs,offsetMs,feed,intended,sent,dropped,connected";
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final ResolvedScenario scenario;
    private final List<Feed> feeds = new ArrayList<>();
    private final Path csv;
    private final Clock clock;
    private final Thread pacer;
    private final Thread logger;
    private volatile long startEpochMs = -1;
    private volatile boolean closed;

    /**
     * @param feedNames one name per receiver (e.g. {@code socket}, {@code bulk}); a name starting with
     *                  {@code reactive} makes a demand-driven feed (sends only what the client requested)
     * @param csv       per-second log, or null for none
     */
    public LoadGenerator(ResolvedScenario scenario, List<String> feedNames, Path csv) {
        this(scenario, feedNames, csv, Clock.systemUTC(), true);
    }

    /**
     * A generator without threads of its own, on {@code clock}: the caller runs {@link #paceOnce()} and
     * {@link #logOnce} when it wants a pacing step or a per-second log line.
     */
    static LoadGenerator drivenBy(ResolvedScenario scenario, List<String> feedNames, Clock clock) {
        return new LoadGenerator(scenario, feedNames, null, clock, false);
    }

    private LoadGenerator(ResolvedScenario scenario, List<String> feedNames, Path csv, Clock clock,
                          boolean ownThreads) {
        this.scenario = scenario;
        this.csv = csv;
        this.clock = clock;
        try {
            for (String n : feedNames) {
                feeds.add(new Feed(n, 1.0 / feedNames.size(), n.startsWith("reactive")));
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot open a loopback port for the generator", e);
        }
        if (!ownThreads) {
            pacer = null;
            logger = null;
            return;
        }
        pacer = new Thread(this::pace, "testbed-generator");
        pacer.setDaemon(true);
        logger = new Thread(this::logEverySecond, "testbed-generator-log");
        logger.setDaemon(true);
        pacer.start();
        logger.start();
    }

    /** Loopback ports, in the order of the feed names. */
    public List<Integer> ports() {
        List<Integer> p = new ArrayList<>();
        for (Feed f : feeds) {
            p.add(f.port());
        }
        return p;
    }

    public boolean allConnected() {
        for (Feed f : feeds) {
            if (f.connections.get() == 0) {
                return false;
            }
        }
        return true;
    }

    /** Waits until every feed has had a client, or the timeout passes. */
    public boolean awaitConnections(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!allConnected()) {
            if (System.currentTimeMillis() > deadline || closed) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** Starts the scenario clock now. */
    public void start() {
        startEpochMs = clock.millis();
    }

    /** Epoch ms of the scenario's start, -1 before {@link #start()}. */
    public long startEpochMs() {
        return startEpochMs;
    }

    public boolean finished() {
        long s = startEpochMs;
        return s > 0 && clock.millis() - s >= scenario.durationMs();
    }

    public Totals totals() {
        long i = 0;
        long s = 0;
        long d = 0;
        for (Feed f : feeds) {
            i += f.intended.get();
            s += f.sent.get();
            d += f.dropped.get();
        }
        return new Totals(i, s, d);
    }

    /** Cumulative records: meant to send, sent, dropped at the source because the reader was not taking them. */
    public record Totals(long intended, long sent, long dropped) {
    }

    private void pace() {
        long next = System.nanoTime();
        while (!closed) {
            paceOnce();
            next += TICK_NANOS;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else if (wait < -100 * TICK_NANOS) {
                next = System.nanoTime(); // far behind (machine busy): catch up in one tick, not a burst of ticks
            }
        }
    }

    /** One pacing step at the clock's now: accepts new clients, then brings every feed up to what is due. */
    void paceOnce() {
        long start = startEpochMs;
        long now = clock.millis();
        double due = start < 0 ? 0 : scenario.recordsDue(now - start);
        int cost = start < 0 ? 0 : scenario.costAt(now - start);
        for (Feed f : feeds) {
            f.acceptPending();
            f.pump(due, cost, now);
        }
    }

    private void logEverySecond() {
        if (csv == null) {
            return;
        }
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            out.write(CSV_HEADER);
            out.newLine();
            long[][] last = new long[feeds.size()][3];
            long next = clock.millis() / 1000 * 1000 + 1000;
            while (!closed) {
                long sleep = next - clock.millis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                next += 1000;
                logOnce(out, last);
            }
        } catch (IOException e) {
            System.err.println("testbed: cannot write " + csv + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Appends one line per feed with what it meant to send, sent and dropped since the previous call ({@code last}
     * holds the totals then, one row of three per feed, and is updated), and flushes.
     */
    void logOnce(BufferedWriter out, long[][] last) throws IOException {
        long now = clock.millis();
        long start = startEpochMs;
        for (int i = 0; i < feeds.size(); i++) {
            Feed f = feeds.get(i);
            long in = f.intended.get();
            long se = f.sent.get();
            long dr = f.dropped.get();
            out.write(now + "," + (start < 0 ? -1 : now - start) + "," + f.name() + "," + (in - last[i][0])
                    + "," + (se - last[i][1]) + "," + (dr - last[i][2]) + "," + (f.connected() ? 1 : 0));
            out.newLine();
            last[i][0] = in;
            last[i][1] = se;
            last[i][2] = dr;
        }
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        if (pacer != null) {
            try {
                pacer.join(2000);
                logger.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Feed f : feeds) {
            f.close();
        }
    }
}
