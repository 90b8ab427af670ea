package dev.sluice.testbed.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a finished run left: exit code, whether it was killed at its timeout, and its directory with the driver's
 * stdout/stderr and the executors' logs ({@code spark-home/work/app-* /<executorId>/stdout|stderr}).
 */
public record RunResult(Path runDir, Path sparkHome, int exitCode, boolean timedOut, long wallMillis) {

    public Path driverStdout() {
        return runDir.resolve("driver-stdout.log");
    }

    public Path driverStderr() {
        return runDir.resolve("driver-stderr.log");
    }

    /** The run's executor work directories ({@code app-*}/{@code <executorId>}). */
    public Path executorWorkDir() {
        return sparkHome.resolve("work");
    }

    public String driverStdoutText() {
        return read(driverStdout());
    }

    public String driverStderrText() {
        return read(driverStderr());
    }

    /** Driver stdout then stderr: where a Spark job's and an agent's messages end up. */
    public String driverOutput() {
        return driverStdoutText() + "\n" + driverStderrText();
    }

    /** Every executor's stdout and stderr file of this run. */
    public List<Path> executorLogs() {
        Path work = executorWorkDir();
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(work, 3)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().equals("stderr")
                            || p.getFileName().toString().equals("stdout"))
                    .sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All executor log text, each file introduced by its path. */
    public String executorOutput() {
        List<String> parts = new ArrayList<>();
        for (Path p : executorLogs()) {
            parts.add("==> " + runDir.relativize(p) + " <==\n" + read(p));
        }
        return String.join("\n", parts);
    }

    /** The last lines of driver stderr, for assertion messages. */
    public String driverStderrTail(int lines) {
        List<String> all = driverStderrText().lines().collect(Collectors.toList());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    @Override
    public String toString() {
        return "RunResult[exit=" + exitCode + (timedOut ? ", TIMED OUT" : "") + ", " + wallMillis + " ms, "
                + runDir + "]";
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // Executor logs may hold bytes that are not UTF-8 (binary dumps): read them leniently.
            try {
                return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                throw new UncheckedIOException(e2);
            }
        }
    }
}
