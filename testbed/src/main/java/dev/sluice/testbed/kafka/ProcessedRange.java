package dev.sluice.testbed.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One partition's offset range in one completed batch of a direct stream, with what the job counted in it: the
 * records it processed and the checksum of their ids ({@code Ledger.mix} summed). Written by the job to
 * {@code ranges.csv} ({@link #HEADER}) after the batch's work completed, so only processed ranges appear.
 */
public record ProcessedRange(long batchTimeMs, int partition, long from, long until, long records, long checksum) {

    public static final String HEADER = "batchTimeMs,partition,fromOffset,untilOffset,records,checksum";

    public String toCsv() {
        return batchTimeMs + "," + partition + "," + from + "," + until + "," + records + "," + checksum;
    }

    /** Reads {@code ranges.csv}; an absent file is no range. Checksums are full 64-bit values, parsed exactly. */
    public static List<ProcessedRange> read(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<ProcessedRange> out = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                String[] c = lines.get(i).split(",");
                if (c.length == 6) {
                    out.add(new ProcessedRange(Long.parseLong(c[0]), Integer.parseInt(c[1]), Long.parseLong(c[2]),
                            Long.parseLong(c[3]), Long.parseLong(c[4]), Long.parseLong(c[5])));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Ranges per partition, each list ordered by start offset. */
    public static Map<Integer, List<ProcessedRange>> byPartition(List<ProcessedRange> ranges) {
        Map<Integer, List<ProcessedRange>> by = new TreeMap<>();
        for (ProcessedRange r : ranges) {
            by.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r);
        }
        by.values().forEach(l -> l.sort(Comparator.comparingLong(ProcessedRange::from)));
        return by;
    }
}
