package dev.sluice.testbed.cluster;

import dev.sluice.testkit.kafka.MavenJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles stock Spark homes from Maven Central, once per version, into a cache directory
 * ({@code $SLUICE_SPARK_HOMES}, else {@code ~/.cache/sluice/spark-homes}).
 *
 * <p>A tiny pom depends on {@code spark-streaming_<scala>:<ver>} and imports {@code spark-parent_<scala>:<ver>} as a
 * BOM, so that slf4j and Jackson are the versions Spark ships (without the BOM Maven mediation picks slf4j-api 1.7
 * beside an slf4j-2 binding and logging is silently lost). {@code mvn dependency:copy-dependencies} then fills
 * {@code jars/}. A marker file records completion; a file lock serialises concurrent assemblers (several sessions and
 * test JVMs share the cache).
 */
public final class SparkHomes {

    static final String MARKER = ".sluice-home-complete";
    private static final long MVN_TIMEOUT_MINUTES = 15;

    private SparkHomes() {
    }

    /** The cache directory: {@code $SLUICE_SPARK_HOMES} or {@code ~/.cache/sluice/spark-homes}. */
    public static Path cacheDir() {
        return MavenJars.cacheDir("SLUICE_SPARK_HOMES", "spark-homes");
    }

    public static SparkHome resolve(String version) {
        return resolve(SparkVersion.parse(version));
    }

    public static SparkHome resolve(SparkVersion version) {
        return resolve(version, cacheDir());
    }

    /** Returns the home for {@code version} under {@code cache}, assembling it on first use. */
    public static SparkHome resolve(SparkVersion version, Path cache) {
        Path dir = cache.resolve(version.homeName()).toAbsolutePath();
        SparkHome home = new SparkHome(version, dir);
        try {
            Files.createDirectories(cache);
            if (!Files.exists(dir.resolve(MARKER))) {
                try (FileChannel ch = FileChannel.open(cache.resolve(version.homeName() + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    if (!Files.exists(dir.resolve(MARKER))) {
                        assemble(home);
                    }
                }
            }
            Files.createDirectories(home.workDir());
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble the Spark home " + dir, e);
        }
    }

    private static void assemble(SparkHome home) throws IOException {
        Path dir = home.dir();
        Path build = dir.resolve("build");
        Files.createDirectories(build);
        deleteJars(home.jarsDir());
        Files.createDirectories(home.jarsDir());
        Path pom = build.resolve("pom.xml");
        Files.writeString(pom, pomFor(home.version()), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>();
        cmd.add(MavenJars.mavenExecutable());
        cmd.add("-B");
        cmd.add("-q");
        cmd.add("-f");
        cmd.add(pom.toString());
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.add("dependency:copy-dependencies");
        cmd.add("-DincludeScope=runtime");
        cmd.add("-DoutputDirectory=" + home.jarsDir());
        Path log = build.resolve("mvn.log");
        int exit = MavenJars.runMaven(cmd, build, log);
        if (exit != 0) {
            throw new IOException("assembling Spark " + home.version() + " failed (mvn exit " + exit
                    + "): " + tail(log) + " -- command: " + String.join(" ", cmd));
        }
        long jars = home.jarCount();
        if (jars < 50) {
            throw new IOException("assembling Spark " + home.version() + " gave only " + jars + " jars in "
                    + home.jarsDir());
        }
        Files.writeString(dir.resolve(MARKER), "jars=" + jars + "\n", StandardCharsets.UTF_8);
    }

    /** The pom whose runtime dependencies are exactly a stock Spark distribution's streaming jars. */
    static String pomFor(SparkVersion v) {
        String scala = v.scalaBinary();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.sluice.spark-home</groupId>
                  <artifactId>%3$s</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <dependencyManagement>
                    <dependencies>
                      <dependency>
                        <groupId>org.apache.spark</groupId>
                        <artifactId>spark-parent_%1$s</artifactId>
                        <version>%2$s</version>
                        <type>pom</type>
                        <scope>import</scope>
                      </dependency>
                    </dependencies>
                  </dependencyManagement>
                  <dependencies>
                    <dependency>
                      <groupId>org.apache.spark</groupId>
                      <artifactId>spark-streaming_%1$s</artifactId>
                      <version>%2$s</version>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>org.apache.maven.plugins</groupId>
                        <artifactId>maven-dependency-plugin</artifactId>
                        <version>3.8.1</version>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(scala, v.release(), v.homeName());
    }

    private static void deleteJars(Path jars) throws IOException {
        if (!Files.isDirectory(jars)) {
            return;
        }
        try (var s = Files.list(jars)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
