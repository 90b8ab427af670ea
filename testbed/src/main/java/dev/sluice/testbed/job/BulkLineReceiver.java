package dev.sluice.testbed.job;

import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.receiver.Receiver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom receiver that reads lines from a TCP source and stores them in chunks with
 * {@code store(java.util.Iterator)} (the bulk path Spark's own back-pressure does not limit). A chunk is stored when
 * it has {@link #CHUNK_RECORDS} lines or is {@link #CHUNK_MILLIS} ms old. Reconnects if the source goes away.
 */
public final class BulkLineReceiver extends Receiver<String> {

    private static final long serialVersionUID = 1L;
    static final int CHUNK_RECORDS = 500;
    static final long CHUNK_MILLIS = 100;

    private final String host;
    private final int port;

    public BulkLineReceiver(String host, int port, StorageLevel level) {
        super(level);
        this.host = host;
        this.port = port;
    }

    @Override
    public void onStart() {
        Thread t = new Thread(this::receive, "testbed-bulk-receiver-" + port);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void onStop() {
        // the reading thread checks isStopped()
    }

    private void receive() {
        while (!isStopped()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
                s.setSoTimeout(500);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII), 1 << 16);
                List<String> chunk = new ArrayList<>(CHUNK_RECORDS);
                long chunkStart = System.currentTimeMillis();
                while (!isStopped()) {
                    String line;
                    try {
                        line = in.readLine();
                    } catch (java.net.SocketTimeoutException e) {
                        line = "";
                    }
                    if (line == null) {
                        break;
                    }
                    if (!line.isEmpty()) {
                        if (chunk.isEmpty()) {
                            chunkStart = System.currentTimeMillis();
                        }
                        chunk.add(line);
                    }
                    if (!chunk.isEmpty() && (chunk.size() >= CHUNK_RECORDS
                            || System.currentTimeMillis() - chunkStart >= CHUNK_MILLIS)) {
                        store(chunk.iterator());
                        chunk = new ArrayList<>(CHUNK_RECORDS);
                    }
                }
            } catch (IOException e) {
                sleepQuietly(200);
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
