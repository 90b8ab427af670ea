package dev.sluice.examples.lifecycle;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;

import org.apache.spark.storage.StorageLevel;

import dev.sluice.examples.GeneratorReceiver;

/**
 * Quiet for {@code quietSeconds}, then offers {@code rate} records/s with {@code store(record)} (10 ms ticks); once a
 * second it writes {@code epochMs,streamId,limit,offered} to {@code probe-<streamId>-<pid>.csv}: the limit Spark's
 * receiver API reports ({@code supervisor().getCurrentRateLimit()}) and the records handed to {@code store} so far
 * (ground truth, counted independently of Spark and of any agent).
 */
final class ProbeReceiver extends GeneratorReceiver<Long> {

    private static final long serialVersionUID = 1L;

    private final long rate;
    private final int quietSeconds;
    private final String outDir;

    ProbeReceiver(long rate, int quietSeconds, String outDir) {
        super(StorageLevel.MEMORY_AND_DISK_SER_2(), "probe-receiver-");
        this.rate = rate;
        this.quietSeconds = quietSeconds;
        this.outDir = outDir;
    }

    @Override
    protected void generate() {
        int id = streamId();
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        File file = new File(outDir, "probe-" + id + "-" + pid + ".csv");
        try (PrintWriter csv = new PrintWriter(new FileWriter(file, true))) {
            csv.println("epochMs,streamId,limit,offered");
            long start = System.nanoTime();
            long quietNanos = quietSeconds * 1_000_000_000L;
            long offered = 0;
            long lastReport = 0;
            try {
                while (running()) {
                    long elapsed = System.nanoTime() - start;
                    if (elapsed >= quietNanos) {
                        long due = (elapsed - quietNanos) / 1_000_000L * rate / 1000L - offered;
                        for (long i = 0; i < due && running(); i++) {
                            store(Long.valueOf(offered));
                            offered++; // counted once Spark took it
                        }
                    }
                    long now = System.currentTimeMillis();
                    if (now - lastReport >= 1000) {
                        csv.println(now + "," + id + "," + supervisor().getCurrentRateLimit() + "," + offered);
                        csv.flush();
                        lastReport = now;
                    }
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // onStop: the final line below still counts everything stored
            } catch (RuntimeException e) {
                // a store refused while Spark stops the receiver: that record was not taken and is not counted
            }
            csv.println(System.currentTimeMillis() + "," + id + "," + supervisor().getCurrentRateLimit() + ","
                    + offered);
            csv.flush();
        } catch (IOException e) {
            reportError("cannot write " + file, e);
        }
    }
}
