package dev.sluice.testbed.job;

import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Durations;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaStreamingContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The streaming job the test bed runs inside the driver JVM (stock Spark, any mode). Streams (stream ids in this
 * order): {@code socket} = Spark's own {@code socketTextStream} ({@code store(single)}), {@code bulk} =
 * {@link BulkLineReceiver} ({@code store(Iterator)}), {@code reactive} = Sluice's reactive receiver subscribed to a
 * {@link DemandTcpPublisher} (demand = bound, carried back to the source). Every record costs {@link Work#hanoi} of height
 * {@code base + cost}. Writes {@code batches.csv} (listener), {@code work.csv} (records and oldest send time per
 * batch, for the end-to-end lag), {@code events.csv}; stops when {@code <runDir>/stop} appears, when the runner
 * process is gone, or at {@code --max-ms}.
 *
 * <p>Arguments: {@code --run-dir D --ports P0[,P1] --streams socket[,bulk] --batch-ms 1000 --hanoi-base 10
 * --storage MEMORY_AND_DISK_SER_2 --max-ms N --warmup-ms N --runner-pid PID}; {@code --warmup-ms}: see
 * {@link JitWarmup}.
 */
public final class TestbedJob {

    public static final String WORK_HEADER = "batchTimeMs,records,minSendMs,maxSendMs,doneMs";

    private TestbedJob() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path runDir = Paths.get(opt.get("--run-dir")).toAbsolutePath();
        String[] ports = opt.get("--ports").split(",");
        String[] streams = opt.getOrDefault("--streams", "socket,bulk").split(",");
        long batchMs = Long.parseLong(opt.getOrDefault("--batch-ms", "1000"));
        int base = Integer.parseInt(opt.getOrDefault("--hanoi-base", Integer.toString(Work.DEFAULT_BASE)));
        StorageLevel level = StorageLevel.fromString(opt.getOrDefault("--storage", "MEMORY_AND_DISK_SER_2"));
        long maxMs = Long.parseLong(opt.getOrDefault("--max-ms", "900000"));
        long warmupMs = Long.parseLong(opt.getOrDefault("--warmup-ms", "0"));
        long runnerPid = Long.parseLong(opt.getOrDefault("--runner-pid", "-1"));
        if (ports.length != streams.length) {
            throw new IllegalArgumentException("--ports and --streams must have as many entries");
        }

        CsvFile events = new CsvFile(runDir.resolve("events.csv"), "epochMs,event,streamId,detail");
        CsvFile work = new CsvFile(runDir.resolve("work.csv"), WORK_HEADER);
        JavaStreamingContext ssc = new JavaStreamingContext(sparkConf("sluice-testbed", runDir),
                Durations.milliseconds(batchMs));
        BatchStatsListener listener = listen(ssc, runDir, events);

        List<JavaDStream<String>> inputs = new ArrayList<>();
        for (int i = 0; i < streams.length; i++) {
            int port = Integer.parseInt(ports[i]);
            switch (streams[i]) {
                case "socket" -> inputs.add(ssc.socketTextStream("127.0.0.1", port, level));
                case "bulk" -> inputs.add(ssc.receiverStream(new BulkLineReceiver("127.0.0.1", port, level)));
                case "reactive" -> inputs.add(dev.sluice.reactive.ReactiveStreams.<String>receiverStream(ssc,
                        () -> new DemandTcpPublisher("127.0.0.1", port), level));
                default -> throw new IllegalArgumentException("unknown stream kind " + streams[i]);
            }
        }
        JavaDStream<String> all = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            all = all.union(inputs.get(i));
        }
        all.foreachRDD((rdd, time) -> {
            List<long[]> parts = rdd.mapPartitions((Iterator<String> it) -> PartitionWork.process(it, base)).collect();
            long n = 0;
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (long[] p : parts) {
                n += p[0];
                min = Math.min(min, p[2]);
                max = Math.max(max, p[3]);
            }
            work.line(time.milliseconds() + "," + n + "," + (n == 0 ? -1 : min) + "," + (n == 0 ? -1 : max) + ","
                    + System.currentTimeMillis());
        });

        runUntilStopped(ssc, runDir, level, base, warmupMs, maxMs, runnerPid, events, listener, work);
    }

    /** The job's Spark configuration: the memory sampler plugin added to whatever {@code spark.plugins} holds. */
    public static SparkConf sparkConf(String appName, Path runDir) {
        SparkConf conf = new SparkConf().setAppName(appName).setIfMissing("spark.master", "local[4]");
        conf.set(MemorySamplerPlugin.RUN_DIR_CONF, runDir.toString());
        String plugins = conf.get("spark.plugins", "");
        if (!plugins.contains(MemorySamplerPlugin.class.getName())) {
            conf.set("spark.plugins", plugins.isEmpty() ? MemorySamplerPlugin.class.getName()
                    : plugins + "," + MemorySamplerPlugin.class.getName());
        }
        return conf;
    }

    /** Adds the listeners that write {@code batches.csv}, {@code planned.csv} and executor events. */
    public static BatchStatsListener listen(JavaStreamingContext ssc, Path runDir, CsvFile events) {
        BatchStatsListener listener = new BatchStatsListener(runDir, events);
        ssc.addStreamingListener(listener);
        ssc.sparkContext().sc().addSparkListener(new ExecutorEvents(events));
        return listener;
    }

    /**
     * Warms up ({@link JitWarmup}), starts the context, waits for {@code <runDir>/stop} (or the deadline, or the
     * runner's end), stops it without grace and exits the JVM.
     */
    public static void runUntilStopped(JavaStreamingContext ssc, Path runDir, StorageLevel level, int base,
                                       long warmupMs, long maxMs, long runnerPid, CsvFile events,
                                       BatchStatsListener listener, CsvFile... outputs) throws InterruptedException {
        long warmStart = System.currentTimeMillis();
        int rounds = JitWarmup.run(ssc.sparkContext(), level, base, warmupMs);
        events.line(System.currentTimeMillis() + ",warmup-done,-1," + rounds + " rounds in "
                + (System.currentTimeMillis() - warmStart) + " ms");
        long startedAt = System.currentTimeMillis();
        ssc.start();
        events.line(System.currentTimeMillis() + ",context-started,-1,");
        Path stopFile = runDir.resolve("stop");
        while (!Files.exists(stopFile) && System.currentTimeMillis() - startedAt < maxMs && runnerAlive(runnerPid)) {
            Thread.sleep(100);
        }
        events.line(System.currentTimeMillis() + ",stop-requested,-1," + (Files.exists(stopFile) ? "stop-file"
                : "deadline-or-runner-gone"));
        // Not graceful: a stock run may hold minutes of backlog; what is left unprocessed is part of the result.
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                return;
            }
            events.line(System.currentTimeMillis() + ",stop-timeout,-1,halt");
            Runtime.getRuntime().halt(3);
        }, "testbed-stop-watchdog");
        killer.setDaemon(true);
        killer.start();
        ssc.stop(true, false);
        events.line(System.currentTimeMillis() + ",context-stopped,-1,");
        listener.close();
        for (CsvFile f : outputs) {
            f.close();
        }
        events.close();
        System.exit(0);
    }

    private static boolean runnerAlive(long pid) {
        return pid <= 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = pairs(args);
        if (!m.containsKey("--run-dir") || !m.containsKey("--ports")) {
            throw new IllegalArgumentException("usage: TestbedJob --run-dir D --ports P0[,P1] [--streams socket,bulk]"
                    + " [--batch-ms 1000] [--hanoi-base 10] [--storage LEVEL] [--max-ms N] [--warmup-ms N] [--runner-pid PID]");
        }
        return m;
    }

    /** {@code --key value} pairs in order. */
    public static Map<String, String> pairs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i], args[i + 1]);
        }
        return m;
    }

    /** Executor added/removed (an executor lost to OOM shows here) into events.csv. */
    static final class ExecutorEvents extends SparkListener {
        private final CsvFile events;

        ExecutorEvents(CsvFile events) {
            this.events = events;
        }

        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded added) {
            events.line(added.time() + ",executor-added," + added.executorId() + ",");
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
            events.line(removed.time() + ",executor-removed," + removed.executorId() + ","
                    + BatchStatsListener.clean(removed.reason()));
        }
    }
}
