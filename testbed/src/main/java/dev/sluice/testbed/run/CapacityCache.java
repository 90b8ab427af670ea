package dev.sluice.testbed.run;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;

/**
 * The measured capacity of the job on this machine, per Spark version, cost, work base and cluster shape, kept in
 * {@code ~/.cache/sluice/testbed-capacity.properties} (or {@code $SLUICE_TESTBED_CACHE}) so that runs can express
 * rates as multiples of it without probing every time.
 */
public final class CapacityCache {

    private final Path file;

    public CapacityCache(Path file) {
        this.file = file;
    }

    public static CapacityCache defaultCache() {
        String env = System.getenv("SLUICE_TESTBED_CACHE");
        Path dir = env != null && !env.isBlank() ? Paths.get(env)
                : Paths.get(System.getProperty("user.home"), ".cache", "sluice");
        return new CapacityCache(dir.resolve("testbed-capacity.properties"));
    }

    public static String key(String sparkVersion, int cost, int hanoiBase, String cluster) {
        return "spark-" + sparkVersion.replace('/', '-') + ".cost-" + cost + ".base-" + hanoiBase + "." + cluster;
    }

    /** Records/s, or -1 when not measured yet. */
    public synchronized double get(String key) {
        Properties p = load();
        String v = p.getProperty(key);
        return v == null ? -1 : Double.parseDouble(v);
    }

    /** How the cached figure was measured (the probe's summary), or null. */
    public synchronized String how(String key) {
        return load().getProperty(key + ".how");
    }

    public synchronized void put(String key, double recordsPerSecond) {
        put(key, recordsPerSecond, null);
    }

    public synchronized void put(String key, double recordsPerSecond, String how) {
        Properties p = load();
        p.setProperty(key, Long.toString(Math.round(recordsPerSecond)));
        if (how != null) {
            p.setProperty(key + ".how", how);
        } else {
            p.remove(key + ".how");
        }
        try {
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, "Sluice test bed: maximum sustainable job rate (records/s), by the capacity staircase");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return p;
    }
}
