package dev.sluice.testbed.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything that defines one driver run on {@code local-cluster}: Spark home, application, master shape, Spark
 * configuration, agent (or none), timeout and run directory. Immutable; {@link #toBuilder()} derives variants, so one
 * base spec can be run in several modes side by side (see {@link Modes}).
 */
public final class LaunchSpec {

    private final SparkHome home;
    private final Path appJar;
    private final String mainClass;
    private final List<String> appArgs;
    private final int workers;
    private final int coresPerWorker;
    private final int memoryPerWorkerMb;
    private final String executorMemory;
    private final String driverMemory;
    private final Map<String, String> sparkConf;
    private final AgentAttachment agent;
    private final List<String> driverJvmOptions;
    private final List<String> executorJavaOptions;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final Path runDir;
    private final boolean snapshotJars;
    private final List<Path> extraClassPath;

    private LaunchSpec(Builder b) {
        this.home = Objects.requireNonNull(b.home, "home");
        this.appJar = Objects.requireNonNull(b.appJar, "appJar").toAbsolutePath().normalize();
        this.mainClass = Objects.requireNonNull(b.mainClass, "mainClass");
        this.appArgs = List.copyOf(b.appArgs);
        this.workers = b.workers;
        this.coresPerWorker = b.coresPerWorker;
        this.memoryPerWorkerMb = b.memoryPerWorkerMb;
        this.executorMemory = b.executorMemory;
        this.driverMemory = b.driverMemory;
        this.sparkConf = Collections.unmodifiableMap(new LinkedHashMap<>(b.sparkConf));
        this.agent = b.agent;
        this.driverJvmOptions = List.copyOf(b.driverJvmOptions);
        this.executorJavaOptions = List.copyOf(b.executorJavaOptions);
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        this.timeout = Objects.requireNonNull(b.timeout, "timeout");
        this.runDir = Objects.requireNonNull(b.runDir, "runDir").toAbsolutePath().normalize();
        this.snapshotJars = b.snapshotJars;
        this.extraClassPath = List.copyOf(b.extraClassPath);
        if (workers < 1 || coresPerWorker < 1 || memoryPerWorkerMb < 256) {
            throw new IllegalArgumentException("local-cluster[" + workers + "," + coresPerWorker + ","
                    + memoryPerWorkerMb + "] is not a usable cluster");
        }
        if (megabytes(executorMemory) > memoryPerWorkerMb) {
            // Spark's LocalSparkCluster throws for this; say it before a JVM is started.
            throw new IllegalArgumentException("spark.executor.memory " + executorMemory
                    + " exceeds the worker memory " + memoryPerWorkerMb + " MB");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.home = home;
        b.appJar = appJar;
        b.mainClass = mainClass;
        b.appArgs = new ArrayList<>(appArgs);
        b.workers = workers;
        b.coresPerWorker = coresPerWorker;
        b.memoryPerWorkerMb = memoryPerWorkerMb;
        b.executorMemory = executorMemory;
        b.driverMemory = driverMemory;
        b.sparkConf = new LinkedHashMap<>(sparkConf);
        b.agent = agent;
        b.driverJvmOptions = new ArrayList<>(driverJvmOptions);
        b.executorJavaOptions = new ArrayList<>(executorJavaOptions);
        b.environment = new LinkedHashMap<>(environment);
        b.timeout = timeout;
        b.runDir = runDir;
        b.snapshotJars = snapshotJars;
        b.extraClassPath = new ArrayList<>(extraClassPath);
        return b;
    }

    /** {@code local-cluster[N,C,M]}. */
    public String master() {
        return "local-cluster[" + workers + "," + coresPerWorker + "," + memoryPerWorkerMb + "]";
    }

    public SparkHome home() { return home; }
    public Path appJar() { return appJar; }
    public String mainClass() { return mainClass; }
    public List<String> appArgs() { return appArgs; }
    public int workers() { return workers; }
    public int coresPerWorker() { return coresPerWorker; }
    public int memoryPerWorkerMb() { return memoryPerWorkerMb; }
    public String executorMemory() { return executorMemory; }
    public String driverMemory() { return driverMemory; }
    public Map<String, String> sparkConf() { return sparkConf; }
    /** The agent on the driver's command line and in spark.executor.extraJavaOptions, or null for none. */
    public AgentAttachment agent() { return agent; }
    public List<String> driverJvmOptions() { return driverJvmOptions; }
    public List<String> executorJavaOptions() { return executorJavaOptions; }
    public Map<String, String> environment() { return environment; }
    public Duration timeout() { return timeout; }
    public Path runDir() { return runDir; }
    /** Whether the app and agent jars are copied into the run directory first (default: yes). */
    public boolean snapshotJars() { return snapshotJars; }
    /** Jars the application ships beside its own jar (e.g. a connector), on the driver's and executors' class path. */
    public List<Path> extraClassPath() { return extraClassPath; }

    /** Spark's size syntax for executor memory: {@code 512m}, {@code 1g}, {@code 1024} (MiB without a unit). */
    static long megabytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)\\s*([kmgt]?)b?")
                .matcher(size.trim().toLowerCase());
        if (!m.matches()) {
            throw new IllegalArgumentException("memory size not understood: " + size);
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "k": return n / 1024;
            case "g": return n * 1024;
            case "t": return n * 1024 * 1024;
            default: return n;
        }
    }

    public static final class Builder {
        private SparkHome home;
        private Path appJar;
        private String mainClass;
        private List<String> appArgs = new ArrayList<>();
        private int workers = 2;
        private int coresPerWorker = 2;
        private int memoryPerWorkerMb = 1024;
        private String executorMemory = "512m";
        private String driverMemory = "1g";
        private Map<String, String> sparkConf = new LinkedHashMap<>(Map.of("spark.ui.enabled", "false"));
        private AgentAttachment agent;
        private List<String> driverJvmOptions = new ArrayList<>();
        private List<String> executorJavaOptions = new ArrayList<>();
        private Map<String, String> environment = new LinkedHashMap<>();
        private Duration timeout = Duration.ofMinutes(5);
        private Path runDir;
        private boolean snapshotJars = true;
        private List<Path> extraClassPath = new ArrayList<>();

        /** Jars beside the application jar on the driver's and executors' class path (absolute paths). */
        public Builder extraClassPath(List<Path> jars) {
            this.extraClassPath = new ArrayList<>();
            for (Path p : jars) {
                this.extraClassPath.add(p.toAbsolutePath().normalize());
            }
            return this;
        }

        private Builder() {
        }

        public Builder home(SparkHome v) { home = v; return this; }
        public Builder appJar(Path v) { appJar = v; return this; }
        public Builder mainClass(String v) { mainClass = v; return this; }
        public Builder appArgs(List<String> v) { appArgs = new ArrayList<>(v); return this; }
        public Builder appArgs(String... v) { return appArgs(List.of(v)); }
        public Builder addAppArgs(String... v) { appArgs.addAll(List.of(v)); return this; }

        /** {@code local-cluster[workers, coresPerWorker, memoryPerWorkerMb]}. */
        public Builder localCluster(int workers, int coresPerWorker, int memoryPerWorkerMb) {
            this.workers = workers;
            this.coresPerWorker = coresPerWorker;
            this.memoryPerWorkerMb = memoryPerWorkerMb;
            return this;
        }

        public Builder executorMemory(String v) { executorMemory = v; return this; }
        public Builder driverMemory(String v) { driverMemory = v; return this; }
        /** A Spark property, passed to the driver as {@code -Dkey=value} (SparkConf reads spark.* properties). */
        public Builder conf(String key, String value) {
            if (!key.startsWith("spark.")) {
                throw new IllegalArgumentException("not a Spark property: " + key);
            }
            sparkConf.put(key, value);
            return this;
        }
        public Builder removeConf(String key) { sparkConf.remove(key); return this; }
        public Builder agent(AgentAttachment v) { agent = v; return this; }
        public Builder noAgent() { agent = null; return this; }
        public Builder addDriverJvmOption(String v) { driverJvmOptions.add(v); return this; }
        public Builder addExecutorJavaOption(String v) { executorJavaOptions.add(v); return this; }
        public Builder env(String key, String value) { environment.put(key, value); return this; }
        public Builder timeout(Duration v) { timeout = v; return this; }
        public Builder runDir(Path v) { runDir = v; return this; }
        /** Copy the app and agent jars into the run directory before starting (protects against rebuilds). */
        public Builder snapshotJars(boolean v) { snapshotJars = v; return this; }

        public LaunchSpec build() {
            return new LaunchSpec(this);
        }
    }
}
