package dev.sluice.testbed.job;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Reactive Streams publisher of the generator's lines that carries demand back to the source over the same TCP
 * connection: {@code request(n)} writes the line {@code "<n>\n"} to the generator, which then sends at most the
 * requested number of records and drops the rest itself (the reference test bed's reactive set-up: the source learns
 * at once that it must send less). One subscriber per publisher; a fresh publisher per receiver (re)start.
 */
public final class DemandTcpPublisher implements Publisher<String> {

    private final String host;
    private final int port;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    public DemandTcpPublisher(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public void subscribe(Subscriber<? super String> subscriber) {
        if (subscriber == null) {
            throw new NullPointerException("subscriber"); // rule 1.9
        }
        if (!subscribed.compareAndSet(false, true)) {
            subscriber.onSubscribe(Noop.INSTANCE);
            subscriber.onError(new IllegalStateException("this publisher serves one subscriber"));
            return;
        }
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            closeQuietly(socket);
            subscriber.onSubscribe(Noop.INSTANCE);
            subscriber.onError(e);
            return;
        }
        Link link = new Link(socket, subscriber);
        subscriber.onSubscribe(link);
        Thread reader = new Thread(link::read, "testbed-demand-publisher-" + port);
        reader.setDaemon(true);
        reader.start();
    }

    private static final class Link implements Subscription {
        private final Socket socket;
        private final Subscriber<? super String> subscriber;
        private volatile boolean cancelled;

        Link(Socket socket, Subscriber<? super String> subscriber) {
            this.socket = socket;
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (cancelled) {
                return;
            }
            if (n <= 0) {
                cancel();
                subscriber.onError(new IllegalArgumentException("rule 3.9: request must be > 0, got " + n));
                return;
            }
            try {
                OutputStream out = socket.getOutputStream();
                synchronized (this) {
                    out.write((n + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the reader sees the broken connection and signals onError
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            closeQuietly(socket);
        }

        void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII), 1 << 16)) {
                for (String line; !cancelled && (line = in.readLine()) != null; ) {
                    subscriber.onNext(line);
                }
                if (!cancelled) {
                    cancelled = true;
                    subscriber.onComplete();
                }
            } catch (IOException e) {
                if (!cancelled) {
                    cancelled = true;
                    subscriber.onError(e);
                }
            } finally {
                closeQuietly(socket);
            }
        }
    }

    private enum Noop implements Subscription {
        INSTANCE;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
