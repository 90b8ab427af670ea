package dev.sluice.testbed.source;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP endpoint of the generator on the loopback interface, serving one receiver (the latest connection wins, so
 * a restarted receiver reconnects). Writes are non-blocking: records that do not fit into the socket now are
 * dropped here and counted, so a slow reader never slows the generator down (that is what the source would do in
 * production: it cannot wait for Spark).
 */
final class Feed implements AutoCloseable {

    private final String name;
    private final double share;
    private final ServerSocketChannel server;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(Records.LENGTH * 16_384);
    /** Demand-driven feed (reactive mode): the client sends {@code "<n>\n"} lines; at most that many records go out. */
    private final boolean demandDriven;
    private final ByteBuffer demandIn = ByteBuffer.allocate(4096);
    private long credit;
    private SocketChannel client;
    private long issued;
    private long seq;

    final AtomicLong intended = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong connections = new AtomicLong();

    Feed(String name, double share, boolean demandDriven) throws IOException {
        this.name = name;
        this.share = share;
        this.demandDriven = demandDriven;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        buffer.limit(0);
    }

    String name() {
        return name;
    }

    int port() {
        return server.socket().getLocalPort();
    }

    boolean connected() {
        return client != null;
    }

    /** Called by the pacing thread only. */
    void acceptPending() {
        try {
            SocketChannel c = server.accept();
            while (c != null) {
                c.configureBlocking(false);
                c.socket().setTcpNoDelay(true);
                closeClient();
                client = c;
                buffer.limit(0); // a half-written record belongs to the old connection
                credit = 0;
                demandIn.clear();
                connections.incrementAndGet();
                c = server.accept();
            }
        } catch (IOException e) {
            // accept failing leaves the previous client in place; the next tick tries again
        }
    }

    /**
     * Brings this feed up to {@code totalDue} records (its share of the scenario's integral): writes what the socket
     * takes now, drops the rest.
     */
    void pump(double totalDue, int cost, long nowMs) {
        long due = (long) Math.floor(totalDue * share);
        long fresh = due - issued;
        if (fresh <= 0) {
            flushPending();
            return;
        }
        issued = due;
        intended.addAndGet(fresh);
        if (client == null) {
            dropped.addAndGet(fresh);
            return;
        }
        if (!flushPending()) {
            dropped.addAndGet(fresh);
            return;
        }
        long allowed = fresh;
        if (demandDriven) {
            readDemand();
            if (client == null) {
                dropped.addAndGet(fresh);
                return;
            }
            allowed = Math.min(fresh, credit);
        }
        buffer.clear();
        int fit = (int) Math.min(allowed, buffer.capacity() / Records.LENGTH);
        for (int i = 0; i < fit; i++) {
            Records.write(buffer, cost, seq++, nowMs);
        }
        buffer.flip();
        int written = write();
        int full = written / Records.LENGTH;
        int partial = written % Records.LENGTH == 0 ? 0 : 1;
        // A partly written record is completed first on the next tick: it counts as sent.
        sent.addAndGet(full + partial);
        credit -= full + partial;
        dropped.addAndGet(fresh - full - partial);
        buffer.position(written);
        buffer.limit((full + partial) * Records.LENGTH);
    }

    /** Adds the client's {@code "<n>\n"} demand lines to the credit (non-blocking). */
    private void readDemand() {
        if (client == null) {
            return;
        }
        try {
            int n = client.read(demandIn);
            if (n < 0) {
                closeClient();
                return;
            }
        } catch (IOException e) {
            closeClient();
            return;
        }
        demandIn.flip();
        int lineStart = demandIn.position();
        long value = 0;
        for (int i = demandIn.position(); i < demandIn.limit(); i++) {
            byte b = demandIn.get(i);
            if (b == '\n') {
                credit = credit > Long.MAX_VALUE - value ? Long.MAX_VALUE : credit + value;
                value = 0;
                lineStart = i + 1;
            } else if (b >= '0' && b <= '9') {
                value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (b - '0');
            }
        }
        demandIn.position(lineStart);
        demandIn.compact();
    }

    /** @return true when no partial record is left to send */
    private boolean flushPending() {
        if (client == null || !buffer.hasRemaining()) {
            return true;
        }
        write();
        return !buffer.hasRemaining();
    }

    private int write() {
        int start = buffer.position();
        try {
            client.write(buffer);
        } catch (IOException e) {
            closeClient();
            buffer.limit(buffer.position());
        }
        return buffer.position() - start;
    }

    private void closeClient() {
        if (client != null) {
            try {
                client.close();
            } catch (IOException ignored) {
                // already gone
            }
            client = null;
        }
    }

    @Override
    public void close() {
        closeClient();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing at the end of a run
        }
    }
}
