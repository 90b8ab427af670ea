package dev.sluice.smoke;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A header-addressed CSV file (no quoting: every file read here is numbers and plain words). */
final class Csv {

    final Path file;
    final List<String> header;
    final List<Map<String, String>> rows;

    private Csv(Path file, List<String> header, List<Map<String, String>> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    static Csv read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return new Csv(file, List.of(), List.of());
            }
            List<String> header = Arrays.asList(lines.get(0).split(",", -1));
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (line.isBlank() || cells.length != header.size()) {
                    continue; // a line cut by a JVM killed mid-write
                }
                Map<String, String> row = new HashMap<>();
                for (int i = 0; i < cells.length; i++) {
                    row.put(header.get(i), cells[i]);
                }
                rows.add(row);
            }
            return new Csv(file, header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long num(Map<String, String> row, String column) {
        String v = row.get(column);
        if (v == null) {
            throw new IllegalStateException("column " + column + " missing in " + row.keySet());
        }
        return Math.round(Double.parseDouble(v));
    }
}
