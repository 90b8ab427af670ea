package dev.sluice.testbed.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a query's checkpoint and a file sink's metadata log say, read as text (no Spark on the class path). */
public final class CheckpointLogs {

    private static final Pattern LOG_OFFSET = Pattern.compile("\"logOffset\":(\\d+)");
    private static final Pattern PARTITION_END = Pattern.compile("\"(\\d+)\":(\\d+)");
    private static final Pattern PATH = Pattern.compile("\"path\":\"[^\"]*part-(\\d+)\\.json\"");
    private static final Pattern BATCH = Pattern.compile("\"batchId\":(\\d+)");

    private CheckpointLogs() {
    }

    /** The largest batch id among a log's files ({@code 0}, {@code 1}, ... or {@code N.compact}); -1 if none. */
    public static long lastBatch(Path log) {
        long last = -1;
        if (Files.isDirectory(log)) {
            try (var files = Files.list(log)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString().replace(".compact", "");
                    if (name.matches("\\d+")) {
                        last = Math.max(last, Long.parseLong(name));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + log, e);
            }
        }
        return last;
    }

    /** The offset-log entry of a batch; empty when there is none. */
    public static String offsetEntry(Path queryCheckpoint, long batchId) {
        Path entry = queryCheckpoint.resolve("offsets").resolve(String.valueOf(batchId));
        try {
            return Files.exists(entry) ? Files.readString(entry, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry, e);
        }
    }

    /** A file source's end in an offset-log entry ({@code {"logOffset":k}}); -1 if none. */
    public static long logOffset(String entry) {
        Matcher m = LOG_OFFSET.matcher(entry);
        long last = -1;
        while (m.find()) {
            last = Long.parseLong(m.group(1));
        }
        return last;
    }

    /** A Kafka source's end offsets in an offset-log entry (its last line), partition → offset. */
    public static Map<Integer, Long> kafkaEnds(String entry) {
        Map<Integer, Long> ends = new TreeMap<>();
        if (entry.isBlank()) {
            return ends;
        }
        String[] lines = entry.strip().split("\n");
        Matcher m = PARTITION_END.matcher(lines[lines.length - 1]);
        while (m.find()) {
            ends.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
        }
        return ends;
    }

    /** File number ({@code part-<n>.json}) → the file source's log batch that took it. */
    public static Map<Long, Long> filesTaken(Path queryCheckpoint) {
        Map<Long, Long> taken = new TreeMap<>();
        Path sources = queryCheckpoint.resolve("sources").resolve("0");
        if (!Files.isDirectory(sources)) {
            return taken;
        }
        try (var files = Files.list(sources)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().matches("\\d+(\\.compact)?")) {
                    continue; // .crc checksums, temporary files
                }
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    Matcher p = PATH.matcher(line);
                    Matcher b = BATCH.matcher(line);
                    if (p.find() && b.find()) {
                        taken.put(Long.parseLong(p.group(1)), Long.parseLong(b.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources, e);
        }
        return taken;
    }
}
