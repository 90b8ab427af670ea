package dev.sluice.testbed.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** An assembled Spark home: {@code <dir>/jars} holds Spark's runtime jars, {@code <dir>/work} is writable. */
public record SparkHome(SparkVersion version, Path dir) {

    public Path jarsDir() {
        return dir.resolve("jars");
    }

    public Path workDir() {
        return dir.resolve("work");
    }

    /** {@code <home>/jars/*}: the class-path entry Spark's own launcher uses for executors too. */
    public String jarsClassPath() {
        return jarsDir().toAbsolutePath() + "/*";
    }

    public long jarCount() {
        try (Stream<Path> s = Files.list(jarsDir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
