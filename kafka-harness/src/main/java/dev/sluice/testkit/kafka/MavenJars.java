package dev.sluice.testkit.kafka;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Jars from Maven Central in a cache directory ({@code $SLUICE_KAFKA_CACHE}, else {@code ~/.cache/sluice/kafka}), each
 * set assembled once by {@code mvn dependency:copy-dependencies} over a generated pom. A marker file records completion
 * and a file lock serialises concurrent assemblers (test JVMs and sessions share the cache). The jars never join the
 * class path of the JVM that asks: the broker runs them in its own JVM, Spark drivers and executors get them by path.
 */
public final class MavenJars {

    static final String MARKER = ".complete";
    private static final long MVN_TIMEOUT_MINUTES = 15;

    private MavenJars() {
    }

    public static Path cacheDir() {
        return cacheDir("SLUICE_KAFKA_CACHE", "kafka");
    }

    /** {@code $<envVar>} when set, else {@code ~/.cache/sluice/<leaf>}. */
    public static Path cacheDir(String envVar, String leaf) {
        String env = System.getenv(envVar);
        if (env != null && !env.isBlank()) {
            return Paths.get(env).toAbsolutePath();
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "sluice", leaf);
    }

    /**
     * @param name            the set's directory under the cache (its jars land in {@code <name>/libs})
     * @param dependencies    {@code <dependency>} elements of the generated pom
     * @param includeArtifactIds comma-separated artifact ids to keep (null: every runtime dependency)
     * @param minJars         fewer jars than this after the copy is a failed assembly
     * @return the {@code libs} directory
     */
    public static Path resolve(String name, String dependencies, String includeArtifactIds, int minJars) {
        Path dir = cacheDir().resolve(name).toAbsolutePath();
        Path libs = dir.resolve("libs");
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve(MARKER))) {
                try (FileChannel ch = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    if (!Files.exists(dir.resolve(MARKER))) {
                        assemble(dir, libs, dependencies, includeArtifactIds, minJars);
                    }
                }
            }
            return libs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot assemble " + dir, e);
        }
    }

    private static void assemble(Path dir, Path libs, String dependencies, String includeArtifactIds, int minJars)
            throws IOException {
        Files.createDirectories(libs);
        try (var old = Files.list(libs)) {
            for (Path p : (Iterable<Path>) old::iterator) {
                Files.delete(p);
            }
        }
        Path pom = dir.resolve("pom.xml");
        Files.writeString(pom, """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.sluice.jars</groupId>
                  <artifactId>jars</artifactId>
                  <version>1</version>
                  <packaging>pom</packaging>
                  <dependencies>
                %s
                  </dependencies>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId>
                    <artifactId>maven-dependency-plugin</artifactId>
                    <version>3.8.1</version>
                  </plugin></plugins></build>
                </project>
                """.formatted(dependencies), StandardCharsets.UTF_8);
        List<String> cmd = new ArrayList<>(List.of(mavenExecutable(), "-B", "-q", "-f", pom.toString()));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.add("dependency:copy-dependencies");
        cmd.add("-DincludeScope=runtime");
        cmd.add("-DoutputDirectory=" + libs);
        if (includeArtifactIds != null) {
            cmd.add("-DincludeArtifactIds=" + includeArtifactIds);
        }
        Path log = dir.resolve("mvn.log");
        int exit = runMaven(cmd, dir, log);
        long jars;
        try (var s = Files.list(libs)) {
            jars = s.filter(f -> f.toString().endsWith(".jar")).count();
        }
        if (exit != 0 || jars < minJars) {
            throw new IOException("assembling " + dir + " failed (mvn exit " + exit + ", " + jars
                    + " jars): see " + log + "; command: " + String.join(" ", cmd));
        }
        Files.writeString(dir.resolve(MARKER), "jars=" + jars + "\n", StandardCharsets.UTF_8);
    }

    /** Runs {@code cmd} in {@code dir}, output to {@code log}, within the timeout; returns mvn's exit code. */
    public static int runMaven(List<String> cmd, Path dir, Path log) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(MVN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("mvn did not finish within " + MVN_TIMEOUT_MINUTES + " min; see " + log);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running mvn in " + dir, e);
        }
        return p.exitValue();
    }

    /** The jars of a {@link #resolve resolved} set, absolute, sorted. */
    public static List<Path> jarsIn(Path libs) {
        try (var s = Files.list(libs)) {
            return s.filter(f -> f.toString().endsWith(".jar")).map(Path::toAbsolutePath).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code $SLUICE_MVN}, else {@code maven.home} / {@code $MAVEN_HOME}'s {@code bin/mvn}, else {@code mvn}. */
    public static String mavenExecutable() {
        String explicit = System.getenv("SLUICE_MVN");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        for (String home : new String[] {System.getProperty("maven.home"), System.getenv("MAVEN_HOME")}) {
            if (home != null && !home.isBlank()) {
                File mvn = new File(home, "bin/mvn");
                if (mvn.canExecute()) {
                    return mvn.getAbsolutePath();
                }
            }
        }
        return "mvn";
    }
}
