package dev.sluice.examples.overload;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.spark.storage.StorageLevel;

import dev.sluice.examples.GeneratorReceiver;

/**
 * Generates {@code rate} records/s, paced per 10 ms tick, and stores them one by one ({@code store(record)}), or
 * paced per {@code chunkMillis} and stored as one chunk per tick ({@code store(java.util.Iterator)}). Each record is a {@code Long} value in [0, 1 000 000), a
 * deterministic function of stream id and sequence number (so a top-K strategy has something to rank).
 *
 * <p>Ground truth for the agent's counters: {@code receiver-<streamId>-<pid>.csv} in the output directory gets one line
 * per second, {@code epochMs,streamId,mode,offered,skipped}: {@code offered} counts records handed to {@code store}
 * (single calls, or elements pulled from the stored iterator), {@code skipped} counts records the source gave up on
 * because a blocking store (or a stall) left it more than one tick behind its schedule: the source's own loss under
 * throttling. So no store call carries more than one tick's worth of records.
 */
public class OfferingReceiver extends GeneratorReceiver<Long> {

    private static final long serialVersionUID = 1L;
    private static final long TICK_NANOS = 10_000_000L;

    private final StoreMode mode;
    private final long rate;
    private final long chunkMillis;
    private final String outDir;

    /**
     * @param chunkMillis for {@link StoreMode#ITERATOR}: how often one chunk is stored (each store(Iterator) call
     *                    becomes one block, hence one task per batch: 10 ms chunks make 100 tasks per 1 s batch)
     */
    public OfferingReceiver(StoreMode mode, long rate, long chunkMillis, String outDir) {
        super(StorageLevel.MEMORY_AND_DISK_SER_2(), "offering-receiver-");
        this.mode = mode;
        this.rate = rate;
        this.chunkMillis = Math.max(10, chunkMillis);
        this.outDir = outDir;
    }

    @Override
    protected void generate() {
        int id = streamId();
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        File file = new File(outDir, "receiver-" + id + "-" + pid + ".csv");
        boolean fresh = !file.exists();
        try (PrintWriter csv = new PrintWriter(new FileWriter(file, true))) {
            if (fresh) {
                csv.println("epochMs,streamId,mode,offered,skipped");
                csv.flush();
            }
            Counting source = new Counting(id);
            long start = System.nanoTime();
            long scheduled = 0;
            long skipped = 0;
            long secondStart = System.currentTimeMillis();
            long offeredAtSecond = 0;
            long skippedAtSecond = 0;
            long tick = mode == StoreMode.SINGLE ? TICK_NANOS : chunkMillis * 1_000_000L;
            long perTick = Math.max(1, rate * (tick / 1_000_000L) / 1000L);
            while (running()) {
                long now = System.nanoTime();
                long due = (now - start) / 1_000_000L * rate / 1000L - scheduled;
                if (due > perTick) {
                    // A blocking store (throttle) or a stall held us back: like a source that polls at most one
                    // tick's worth per poll, give up the excess instead of bursting it in later. Keeps every
                    // store(Iterator) call (one Spark block) at most one tick's worth of records.
                    long giveUp = due - perTick;
                    skipped += giveUp;
                    scheduled += giveUp;
                    due = perTick;
                }
                if (due > 0) {
                    scheduled += due;
                    if (mode == StoreMode.SINGLE) {
                        for (long i = 0; i < due && running(); i++) {
                            store(source.next());
                        }
                    } else {
                        store(source.chunk(due));
                    }
                }
                long wall = System.currentTimeMillis();
                if (wall - secondStart >= 1000) {
                    csv.println(wall + "," + id + "," + mode.name().toLowerCase() + ","
                            + (source.offered - offeredAtSecond) + "," + (skipped - skippedAtSecond));
                    csv.flush();
                    secondStart = wall;
                    offeredAtSecond = source.offered;
                    skippedAtSecond = skipped;
                }
                long sleepNanos = tick - (System.nanoTime() - now);
                if (sleepNanos > 0) {
                    Thread.sleep(sleepNanos / 1_000_000L, (int) (sleepNanos % 1_000_000L));
                }
            }
            csv.println(System.currentTimeMillis() + "," + id + "," + mode.name().toLowerCase() + ","
                    + (source.offered - offeredAtSecond) + "," + (skipped - skippedAtSecond));
            csv.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            reportError("cannot write " + file, e);
        } catch (RuntimeException e) {
            if (running()) {
                restart("offering receiver failed", e);
            }
        }
    }

    /**
     * Deterministic record values; {@code offered} counts every record handed to Spark (for iterators, every element
     * pulled by whoever consumes the iterator: Spark, or the agent's gate in front of it).
     */
    private static final class Counting {
        private final long seed;
        private long seq;
        long offered;

        Counting(int streamId) {
            this.seed = 0x9E3779B97F4A7C15L * (streamId + 1);
        }

        Long next() {
            offered++;
            long z = seed + (seq++) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
            z ^= z >>> 29;
            return Long.valueOf(Math.floorMod(z, 1_000_000L));
        }

        Iterator<Long> chunk(long n) {
            return new Iterator<Long>() {
                private long left = n;

                @Override
                public boolean hasNext() {
                    return left > 0;
                }

                @Override
                public Long next() {
                    if (left <= 0) {
                        throw new NoSuchElementException();
                    }
                    left--;
                    return Counting.this.next();
                }
            };
        }
    }
}
