package dev.sluice.examples.files;

import dev.sluice.examples.kafka.KafkaStructuredJob;
import dev.sluice.examples.overload.BusyWork;
import dev.sluice.examples.structured.MidBatchStop;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;

import java.io.File;
import java.io.FileWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain Structured Streaming file-source query, as users write it (no Sluice API): reads JSON lines
 * ({@code {"id": n}}) from a directory with a processing-time trigger and a checkpoint, burns {@code workMicros} of CPU
 * per row, and writes the ids to a parquet sink (Spark's file sink: exactly-once through its own metadata log).
 * {@code <out>/progress.csv} gets every progress event (run id, batch id, rows, batch duration).
 *
 * <p>With {@code stopAfter=s} the query is stopped after s seconds, while a batch is running (its range already in the
 * offset log), and started again from its checkpoint; {@code <out>/stop.csv} says which batches were logged and
 * committed at the stop. At the end the job reads its own sink back (the committed files only) and writes every id it
 * holds to {@code <out>/sink-ids.txt}.
 *
 * <p>The checkpoint is {@code <spark.sql.streaming.checkpointLocation>/files} (set in the Spark configuration: the
 * writer's {@code option(String, String)} has another descriptor in Spark 4, so one jar runs on both lines).
 *
 * <p>With {@code windowSeconds=w} the query is stateful instead: each row's event time is {@code id DIV
 * eventRowsPerSecond} seconds after the epoch, and it counts rows per tumbling event-time window of w seconds behind a
 * watermark of {@code watermarkSeconds} ({@code withWatermark} + {@code groupBy(window(...)).count()}, append mode, so
 * the parquet sink gets each window once, when the watermark closes it). At the end the job writes the sink's rows to
 * {@code <out>/sink-windows.csv} (window start in epoch seconds, count), one line per row the sink holds.
 *
 * <p>With {@code rowCost=true} each JSON line may carry its own cost, {@code {"id": n, "micros": m}}: that row burns m
 * microseconds instead of {@code workMicros} (a line without {@code micros} burns {@code workMicros}), so the writer
 * of the files can raise the cost per row for a while.
 *
 * <p>Arguments: {@code in=dir sink=dir out=dir duration=seconds workMicros=n triggerMs=n [stopAfter=seconds]
 * [maxFilesPerTrigger=n | maxBytesPerTrigger=n] [windowSeconds=n watermarkSeconds=n eventRowsPerSecond=n] [rowCost=true]}.
 */
public final class FileStructuredJob {

    static final String QUERY = "files";

    private FileStructuredJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        File out = new File(a.get("out"));
        out.mkdirs();
        final int workMicros = Integer.parseInt(a.getOrDefault("workMicros", "0"));
        long triggerMs = Long.parseLong(a.getOrDefault("triggerMs", "2000"));

        SparkSession spark = SparkSession.builder().appName("sluice-file-structured").getOrCreate();
        PrintWriter progress = new PrintWriter(new FileWriter(new File(out, "progress.csv"), false));
        progress.println("batchId,numInputRows,batchDurationMs,timestamp");
        progress.flush();
        spark.streams().addListener(new KafkaStructuredJob.ProgressFile(progress));
        spark.udf().register("burn", (UDF1<Long, Long>) id -> {
            BusyWork.sink(BusyWork.burn(id, workMicros));
            return id;
        }, DataTypes.LongType);
        spark.udf().register("burnRow", (UDF2<Long, Integer, Long>) (id, micros) -> {
            BusyWork.sink(BusyWork.burn(id, micros == null ? workMicros : micros));
            return id;
        }, DataTypes.LongType);
        KafkaStructuredJob.warmUp(spark);

        // The run's length counts from the query's start: Spark's own start-up differs between lines (4.1: about 40 s).
        long end = System.currentTimeMillis() + Long.parseLong(a.get("duration")) * 1000;
        StreamingQuery query = start(spark, a, triggerMs);
        if (a.containsKey("stopAfter")) {
            query.awaitTermination(Long.parseLong(a.get("stopAfter")) * 1000);
            File checkpoint = new File(spark.conf().get("spark.sql.streaming.checkpointLocation"), QUERY);
            MidBatchStop.stopWhileABatchRuns(query, checkpoint, new File(out, "stop.csv"));
            query = start(spark, a, triggerMs);
        }
        query.awaitTermination(Math.max(1, end - System.currentTimeMillis()));
        query.stop();
        progress.close();

        boolean committed = MidBatchStop.lastBatch(new File(a.get("sink"), "_spark_metadata")) >= 0; // else nothing to read
        if (a.containsKey("windowSeconds")) {
            writeWindows(spark, a.get("sink"), committed, new File(out, "sink-windows.csv"));
            spark.stop();
            return;
        }
        List<Long> ids = new ArrayList<>();
        if (committed) {
            ids.addAll(spark.read().format("parquet").load(a.get("sink")).selectExpr("id").as(Encoders.LONG())
                    .collectAsList());
        }
        Collections.sort(ids);
        StringBuilder text = new StringBuilder();
        for (Long id : ids) {
            text.append(id).append('\n');
        }
        Files.write(new File(out, "sink-ids.txt").toPath(), text.toString().getBytes(StandardCharsets.UTF_8));
        spark.stop();
    }

    private static StreamingQuery start(SparkSession spark, Map<String, String> a, long triggerMs) throws Exception {
        boolean rowCost = Boolean.parseBoolean(a.getOrDefault("rowCost", "false"));
        DataStreamReader reader = spark.readStream().format("json").schema(rowCost ? "id LONG, micros INT" : "id LONG");
        if (a.containsKey("maxFilesPerTrigger")) {
            reader = reader.option("maxFilesPerTrigger", a.get("maxFilesPerTrigger"));
        }
        if (a.containsKey("maxBytesPerTrigger")) { // Spark 4.0+
            reader = reader.option("maxBytesPerTrigger", a.get("maxBytesPerTrigger"));
        }
        Dataset<Row> rows = reader.load(a.get("in"))
                .selectExpr(rowCost ? "burnRow(id, micros) AS id" : "burn(id) AS id");
        if (a.containsKey("windowSeconds")) {
            rows = rows.selectExpr("timestamp_seconds(id DIV " + Long.parseLong(a.get("eventRowsPerSecond"))
                            + ") AS eventTime")
                    .withWatermark("eventTime", Long.parseLong(a.get("watermarkSeconds")) + " seconds")
                    .groupBy(functions.window(functions.col("eventTime"),
                            Long.parseLong(a.get("windowSeconds")) + " seconds"))
                    .count()
                    .selectExpr("unix_seconds(`window`.`start`) AS windowStart", "`count` AS windowRows");
        }
        return rows.writeStream().queryName(QUERY).outputMode("append").trigger(Trigger.ProcessingTime(triggerMs))
                .format("parquet").start(a.get("sink"));
    }

    /** Every row the windowed query's sink holds (its committed files only), as {@code windowStart,rows} lines. */
    private static void writeWindows(SparkSession spark, String sink, boolean committed, File record)
            throws IOException {
        List<String> windows = new ArrayList<>();
        if (committed) {
            // The schema given: batches before the watermark closed a window committed no file to infer it from.
            windows.addAll(spark.read().schema("windowStart LONG, windowRows LONG").format("parquet").load(sink)
                    .selectExpr("concat(CAST(windowStart AS STRING), ',', CAST(windowRows AS STRING))")
                    .as(Encoders.STRING()).collectAsList());
        }
        Collections.sort(windows);
        StringBuilder text = new StringBuilder("windowStart,rows\n");
        for (String w : windows) {
            text.append(w).append('\n');
        }
        Files.write(record.toPath(), text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
