package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The executor JVMs of a running local-cluster application, seen from outside: which one hosts a stream's receiver
 * (the agent's per-second file {@code sluice-executor-<pid>.csv} names the JVM and the streams it serves), what it is
 * (its command line: Spark's {@code CoarseGrainedExecutorBackend --executor-id <n>}), what it holds ({@code jcmd}
 * thread dumps and class histograms), and a SIGKILL of it.
 */
final class ExecutorJvms {

    private static final Pattern EXECUTOR_FILE = Pattern.compile("sluice-executor-(\\d+)\\.csv");
    private static final Pattern EXECUTOR_ID = Pattern.compile("--executor-id\\s+(\\S+)");

    /** One sample of a stream in one executor JVM, as the agent wrote it (read while the file grows). */
    record Sample(long pid, long epochMs, int streamId, long bound) {
    }

    private ExecutorJvms() {
    }

    /** Every complete executor line written so far into {@code metricsDir}. */
    static List<Sample> samples(Path metricsDir) {
        List<Sample> out = new ArrayList<>();
        if (!Files.isDirectory(metricsDir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(metricsDir)) {
            for (Path f : files.toList()) {
                Matcher m = EXECUTOR_FILE.matcher(f.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid = Long.parseLong(m.group(1));
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                if (lines.isEmpty()) {
                    continue;
                }
                int columns = lines.get(0).split(",").length;
                for (String line : lines.subList(1, lines.size())) {
                    String[] c = line.split(",");
                    if (c.length == columns && "executor".equals(c[1])) {
                        out.add(new Sample(pid, Long.parseLong(c[0]), Integer.parseInt(c[2]), Long.parseLong(c[4])));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The command line of a live process, or empty. */
    static String commandLine(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
    }

    /** Spark's executor id on an executor's command line, or "?" (not an executor). */
    static String executorId(String commandLine) {
        Matcher m = EXECUTOR_ID.matcher(commandLine);
        return commandLine.contains("CoarseGrainedExecutorBackend") && m.find() ? m.group(1) : "?";
    }

    /** SIGKILL ({@code destroyForcibly} on Linux) and wait until the process is gone. */
    static void kill9(long pid) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            throw new IllegalStateException("process " + pid + " is not running");
        }
        h.get().destroyForcibly();
        try {
            h.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("process " + pid + " did not exit after SIGKILL", e);
        }
    }

    /** Threads of a JVM by name ({@code jcmd <pid> Thread.print}); empty when it does not answer. */
    static List<String> threadNames(long pid) {
        List<String> names = new ArrayList<>();
        for (String line : jcmd(pid, "Thread.print").split("\n")) {
            if (line.startsWith("\"")) {
                names.add(line.substring(1, line.indexOf('"', 1)));
            }
        }
        return names;
    }

    /**
     * Live instances per class after a full GC ({@code jcmd <pid> GC.class_histogram}), for the classes whose names
     * start with {@code prefix}.
     */
    static Map<String, Long> liveInstances(long pid, String prefix) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "  12:      3456     78901  class.Name (module)"
            if (f.length >= 4 && f[0].endsWith(":") && f[3].startsWith(prefix)) {
                out.put(f[3], Long.parseLong(f[1]));
            }
        }
        return out;
    }

    private static String jcmd(long pid, String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true)
                    .start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
