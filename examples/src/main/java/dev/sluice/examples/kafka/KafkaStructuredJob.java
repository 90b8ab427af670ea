package dev.sluice.examples.kafka;

import dev.sluice.examples.overload.BusyWork;
import dev.sluice.examples.structured.MidBatchStop;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.Trigger;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain Structured Streaming Kafka query, as users write it (no Sluice API): reads a topic of long ids (8-byte
 * values) from the earliest offset with a processing-time trigger and a checkpoint, burns {@code workMicros} of CPU per
 * record, and in {@code foreachBatch} writes {@code <out>/batches/<batchId>.csv}: per Kafka partition the offsets it
 * processed (first, last + 1), the record count and the checksum of the ids (splitmix64, the harness's
 * {@code Ledger.mix}). A replayed batch id overwrites its own file, so the sink is idempotent per batch, as Spark's
 * exactly-once contract for {@code foreachBatch} asks. {@code <out>/progress.csv} gets every progress event (batch
 * id, rows, batch duration).
 *
 * <p>The checkpoint is {@code <spark.sql.streaming.checkpointLocation>/smoke} (set in the Spark configuration: the
 * writer's {@code option(String, String)} has another descriptor in Spark 4, so one jar runs on both lines).
 *
 * <p>With {@code stopAfter=s} the query is stopped after s seconds, while a batch is running (its range already in the
 * offset log), and started again from its checkpoint ({@link MidBatchStop}: {@code <out>/stop.csv} says which batches
 * were logged and committed at the stop). The replayed batch id overwrites the file its stopped attempt may have left.
 *
 * <p>With {@code keyCost=true} a record whose key is set (a long, 8 bytes) burns that many microseconds instead of
 * {@code workMicros}, so the producer can raise the cost per record for a while. With {@code idsOut=true} each batch
 * also writes {@code <out>/batches/<batchId>.ids}: every id it processed, one per line (replaced when the batch id is
 * replayed), for a row-by-row check of the sink.
 *
 * <p>Arguments: {@code bootstrap=host:port topic=name out=dir duration=seconds workMicros=n triggerMs=n
 * [maxOffsetsPerTrigger=n] [stopAfter=seconds] [keyCost=true] [idsOut=true]}.
 */
public final class KafkaStructuredJob {

    static final String QUERY = "smoke";

    private KafkaStructuredJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        final File out = new File(a.get("out"));
        final File batches = new File(out, "batches");
        batches.mkdirs();
        long durationMs = Long.parseLong(a.get("duration")) * 1000;
        final int workMicros = Integer.parseInt(a.getOrDefault("workMicros", "0"));
        long triggerMs = Long.parseLong(a.getOrDefault("triggerMs", "2000"));

        SparkSession spark = SparkSession.builder().appName("sluice-kafka-structured").getOrCreate();
        PrintWriter progress = new PrintWriter(new FileWriter(new File(out, "progress.csv"), false));
        progress.println("batchId,numInputRows,batchDurationMs,timestamp");
        progress.flush();
        spark.streams().addListener(new ProgressFile(progress));
        warmUp(spark);

        // The run's length counts from the query's start (warm-up and Spark's start-up are not part of it).
        long end = System.currentTimeMillis() + durationMs;
        StreamingQuery query = start(spark, a, triggerMs, workMicros, batches);
        if (a.containsKey("stopAfter")) {
            query.awaitTermination(Long.parseLong(a.get("stopAfter")) * 1000);
            File checkpoint = new File(spark.conf().get("spark.sql.streaming.checkpointLocation"), QUERY);
            MidBatchStop.stopWhileABatchRuns(query, checkpoint, new File(out, "stop.csv"));
            query = start(spark, a, triggerMs, workMicros, batches);
        }
        query.awaitTermination(Math.max(1, end - System.currentTimeMillis()));
        query.stop();
        progress.close();
        spark.stop();
    }

    private static StreamingQuery start(SparkSession spark, Map<String, String> a, long triggerMs,
                                        final int workMicros, final File batches) throws Exception {
        DataStreamReader reader = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", a.get("bootstrap"))
                .option("subscribe", a.get("topic"))
                .option("startingOffsets", "earliest");
        if (a.containsKey("maxOffsetsPerTrigger")) {
            reader = reader.option("maxOffsetsPerTrigger", a.get("maxOffsetsPerTrigger"));
        }
        final boolean keyCost = Boolean.parseBoolean(a.getOrDefault("keyCost", "false"));
        final boolean idsOut = Boolean.parseBoolean(a.getOrDefault("idsOut", "false"));
        Dataset<Row> records = keyCost ? reader.load().selectExpr("partition", "offset", "value", "key")
                : reader.load().selectExpr("partition", "offset", "value");
        return records.writeStream()
                .queryName(QUERY)
                .trigger(Trigger.ProcessingTime(triggerMs))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) ->
                        writeBatch(batch, batchId, workMicros, batches, keyCost, idsOut))
                .start();
    }

    private static void writeBatch(Dataset<Row> batch, long batchId, int workMicros, File dir, boolean keyCost,
                                   boolean idsOut) throws IOException {
        List<long[]> parts = batch.javaRDD().mapPartitions((Iterator<Row> rows) -> {
            // per Kafka partition: {partition, first offset, last offset + 1, count, checksum}; with idsOut, one more
            // array per Spark partition: {-1, id, id, ...} (a Kafka partition is never negative)
            Map<Integer, long[]> by = new TreeMap<>();
            List<Long> ids = new ArrayList<>();
            long acc = 0;
            while (rows.hasNext()) {
                Row r = rows.next();
                int partition = r.getInt(0);
                long offset = r.getLong(1);
                long id = ByteBuffer.wrap((byte[]) r.get(2)).getLong();
                byte[] key = keyCost ? (byte[]) r.get(3) : null;
                acc += BusyWork.burn(id, key == null ? workMicros : (int) ByteBuffer.wrap(key).getLong());
                if (idsOut) {
                    ids.add(id);
                }
                long[] s = by.computeIfAbsent(partition, p -> new long[] {p, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0});
                s[1] = Math.min(s[1], offset);
                s[2] = Math.max(s[2], offset + 1);
                s[3]++;
                s[4] += mix(id);
            }
            BusyWork.sink(acc);
            List<long[]> summary = new ArrayList<>(by.values());
            if (idsOut) {
                long[] tagged = new long[ids.size() + 1];
                tagged[0] = -1;
                for (int i = 0; i < ids.size(); i++) {
                    tagged[i + 1] = ids.get(i);
                }
                summary.add(tagged);
            }
            return summary.iterator();
        }).collect();
        Map<Integer, long[]> merged = new TreeMap<>();
        StringBuilder idLines = new StringBuilder();
        for (long[] s : parts) {
            if (s[0] < 0) {
                for (int i = 1; i < s.length; i++) {
                    idLines.append(s[i]).append('\n');
                }
                continue;
            }
            long[] m = merged.get((int) s[0]);
            if (m == null) {
                merged.put((int) s[0], s.clone());
            } else {
                m[1] = Math.min(m[1], s[1]);
                m[2] = Math.max(m[2], s[2]);
                m[3] += s[3];
                m[4] += s[4];
            }
        }
        StringBuilder text = new StringBuilder("batchId,partition,fromOffset,untilOffset,records,checksum\n");
        for (long[] m : merged.values()) {
            text.append(batchId).append(',').append(m[0]).append(',').append(m[1]).append(',').append(m[2])
                    .append(',').append(m[3]).append(',').append(m[4]).append('\n');
        }
        if (idsOut) {
            replace(dir, batchId + ".ids", idLines.toString());
        }
        replace(dir, batchId + ".csv", text.toString());
    }

    /** Writes a file beside and renames it over {@code name}: a reader never sees half of it. */
    private static void replace(File dir, String name, String text) throws IOException {
        File tmp = new File(dir, name + ".tmp");
        Files.write(tmp.toPath(), text.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp.toPath(), new File(dir, name).toPath(), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Executors start and run the work once before the query: JVM start and class loading are not the first batch. */
    public static void warmUp(SparkSession spark) {
        List<Integer> four = java.util.Arrays.asList(0, 1, 2, 3);
        spark.createDataset(four, org.apache.spark.sql.Encoders.INT()).javaRDD()
                .foreach(i -> BusyWork.sink(BusyWork.burn(i, 200_000)));
    }

    /** splitmix64's finaliser (the harness's {@code Ledger.mix}). */
    static long mix(long id) {
        return KafkaDirectJob.mix(id);
    }

    /** Appends each progress event: batch id, input rows, batch duration, trigger start. */
    public static final class ProgressFile extends StreamingQueryListener {
        private final PrintWriter out;

        public ProgressFile(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void onQueryStarted(QueryStartedEvent event) {
        }

        @Override
        public void onQueryProgress(QueryProgressEvent event) {
            synchronized (out) {
                out.println(event.progress().batchId() + "," + event.progress().numInputRows() + ","
                        + event.progress().batchDuration() + "," + event.progress().timestamp());
                out.flush();
            }
        }

        @Override
        public void onQueryTerminated(QueryTerminatedEvent event) {
        }
    }
}
