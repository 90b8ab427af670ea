package dev.sluice.testbed.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark release and the Scala binary version of its jars, e.g. {@code 3.5.7/2.12} or {@code 4.1.0/2.13}.
 *
 * <p>Spark 4.x exists only for Scala 2.13; 3.x defaults to 2.12 (Spark's own default) unless {@code /2.13} is given.
 */
public record SparkVersion(int major, int minor, int patch, String scalaBinary) {

    private static final Pattern SPEC = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(?:/(2\\.1[23]))?");

    public static final SparkVersion SPARK_3_5 = parse("3.5.7/2.12");
    public static final SparkVersion SPARK_4_1 = parse("4.1.0/2.13");

    public SparkVersion {
        Objects.requireNonNull(scalaBinary, "scalaBinary");
        if (major < 3 || major > 4) {
            throw new IllegalArgumentException("Spark " + major + "." + minor + "." + patch
                    + " is not supported: use a 3.4+ or 4.x release");
        }
        if (major == 3 && minor < 4) {
            throw new IllegalArgumentException("Spark " + major + "." + minor + "." + patch
                    + " is not supported: use 3.4 or newer");
        }
        if (!scalaBinary.equals("2.12") && !scalaBinary.equals("2.13")) {
            throw new IllegalArgumentException("Scala binary version must be 2.12 or 2.13, got " + scalaBinary);
        }
        if (major >= 4 && scalaBinary.equals("2.12")) {
            throw new IllegalArgumentException("Spark " + major + ".x is built for Scala 2.13 only");
        }
    }

    /** Parses {@code 3.5.7}, {@code 3.5.6/2.13}, {@code 4.1.0}, {@code 4.0.1/2.13}. */
    public static SparkVersion parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("Spark version '" + spec
                    + "' not understood; expected <major>.<minor>.<patch>[/2.12|/2.13], e.g. 3.5.7/2.12 or 4.1.0");
        }
        int major = Integer.parseInt(m.group(1));
        String scala = m.group(4) != null ? m.group(4) : (major >= 4 ? "2.13" : "2.12");
        return new SparkVersion(major, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), scala);
    }

    /** {@code 3.5.7}: the Maven version of Spark's artifacts. */
    public String release() {
        return major + "." + minor + "." + patch;
    }

    /** {@code spark-3.5.7-2.12}: the directory name of this home in the cache. */
    public String homeName() {
        return "spark-" + release() + "-" + scalaBinary;
    }

    public boolean atLeast(int maj, int min) {
        return major > maj || (major == maj && minor >= min);
    }

    /**
     * The JVM flags of {@code org.apache.spark.launcher.JavaModuleOptions} for this line. A driver started as a plain
     * {@code java} process needs them on its own command line (spark-submit would add them); executors get them from
     * Spark itself.
     */
    public List<String> driverModuleFlags() {
        List<String> flags = new ArrayList<>();
        flags.add("-XX:+IgnoreUnrecognizedVMOptions");
        if (atLeast(4, 0)) {
            flags.add("--add-modules=jdk.incubator.vector");
        }
        for (String pkg : new String[] {"java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
                "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
                "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar"}) {
            flags.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        }
        flags.add("--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED");
        flags.add("-Djdk.reflect.useDirectMethodHandle=false");
        if (atLeast(4, 0)) {
            flags.add("-Dio.netty.tryReflectionSetAccessible=true");
        }
        if (atLeast(4, 1)) {
            flags.add("-Dio.netty.allocator.type=pooled");
            flags.add("-Dio.netty.handler.ssl.defaultEndpointVerificationAlgorithm=NONE");
            flags.add("--enable-native-access=ALL-UNNAMED");
        }
        return flags;
    }

    @Override
    public String toString() {
        return release() + "/" + scalaBinary;
    }
}
