package dev.sluice.smoke;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's unified GC log written with {@code -Xlog:gc:file=<dir>/gc-%p.log:timemillis} ({@link #jvmOption}): one line
 * per collection, e.g. {@code [1764781234567ms] GC(12) Pause Young (Normal) (G1 Evacuation Pause) 120M->45M(256M)
 * 3.456ms}. The figure after the arrow is the heap in use after that collection; after a full collection it is the
 * live heap.
 */
final class GcLog {

    /** One collection: when (epoch ms), what ({@code Pause Young ...}, {@code Pause Full ...}), heap after it (KB). */
    record Gc(long epochMs, String cause, long afterKb, long committedKb) {
        boolean full() {
            return cause.startsWith("Pause Full");
        }
    }

    private static final Pattern LINE = Pattern.compile(
            "^\\[(\\d+)ms\\] GC\\(\\d+\\) (Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) [\\d.]+ms\\s*$");

    private GcLog() {
    }

    /** The option that makes a JVM write the log {@link #of} reads, one file per JVM in {@code dir}. */
    static String jvmOption(Path dir) {
        return "-Xlog:gc:file=" + dir.toAbsolutePath() + "/gc-%p.log:timemillis";
    }

    static Path file(Path dir, long pid) {
        return dir.resolve("gc-" + pid + ".log");
    }

    /** The collections logged so far (empty when the file does not exist yet). */
    static List<Gc> of(Path file) {
        List<Gc> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                Matcher m = LINE.matcher(line);
                if (m.matches()) {
                    out.add(new Gc(Long.parseLong(m.group(1)), m.group(2), kb(m.group(5), m.group(6)),
                            kb(m.group(7), m.group(8))));
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static long kb(String n, String unit) {
        long v = Long.parseLong(n);
        return switch (unit) {
            case "G" -> v * 1024 * 1024;
            case "M" -> v * 1024;
            default -> v;
        };
    }
}
