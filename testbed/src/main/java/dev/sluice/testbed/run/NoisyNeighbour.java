package dev.sluice.testbed.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.sluice.testbed.scenario.ResolvedScenario;

/**
 * The CPU-heavy process a scenario's {@code neighbour} phases switch on beside the cluster: a {@link CpuBurner} JVM
 * with one busy thread per core of this machine, where the executors run. Each switch is recorded in
 * {@code neighbour.csv} ({@code epochMs,on}) so the report can judge the run per phase. The burner also exits by
 * itself when this JVM does, so no run leaves it behind.
 */
final class NoisyNeighbour implements AutoCloseable {

    static final String CSV = "neighbour.csv";

    private final ResolvedScenario scenario;
    private final Path csv;
    private Process burner;

    NoisyNeighbour(ResolvedScenario scenario, Path runDir) {
        this.scenario = scenario;
        this.csv = runDir.resolve(CSV);
    }

    /** Starts or stops the burner as the scenario's phase at {@code nowMs} (epoch) asks, the load started at startMs. */
    void follow(long startEpochMs, long nowEpochMs) {
        boolean wanted = scenario.neighbourAt(nowEpochMs - startEpochMs);
        if (wanted && burner == null) {
            burner = start();
            record(nowEpochMs, true);
        } else if (!wanted && burner != null) {
            stop();
            record(nowEpochMs, false);
        }
    }

    /** The running burner, or null while the neighbour is off. */
    ProcessHandle burner() {
        return burner == null ? null : burner.toHandle();
    }

    @Override
    public void close() {
        if (burner != null) {
            stop();
            record(System.currentTimeMillis(), false);
        }
    }

    private static Process start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                CpuBurner.class.getName(), Integer.toString(Runtime.getRuntime().availableProcessors()),
                Long.toString(ProcessHandle.current().pid()));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the noisy neighbour: " + command, e);
        }
    }

    private void stop() {
        burner.destroy();
        try {
            if (!burner.waitFor(5, TimeUnit.SECONDS)) {
                burner.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            burner.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        burner = null;
    }

    private void record(long epochMs, boolean on) {
        try {
            if (!Files.exists(csv)) {
                Files.writeString(csv, "epochMs,on\n", StandardCharsets.UTF_8);
            }
            Files.writeString(csv, epochMs + "," + on + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv, e);
        }
    }
}
