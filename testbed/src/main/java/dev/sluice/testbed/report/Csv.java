package dev.sluice.testbed.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A CSV file with a header line, read leniently: a torn last line (file still being written) is skipped. */
public final class Csv {

    private final Map<String, Integer> columns = new HashMap<>();
    private final List<String[]> rows = new ArrayList<>();

    private Csv() {
    }

    public static Csv read(Path file) {
        Csv csv = new Csv();
        if (!Files.exists(file)) {
            return csv;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty()) {
            return csv;
        }
        String[] header = lines.get(0).split(",", -1);
        for (int i = 0; i < header.length; i++) {
            csv.columns.put(header[i].trim(), i);
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length == header.length) {
                csv.rows.add(cells);
            }
        }
        return csv;
    }

    public int size() {
        return rows.size();
    }

    public boolean has(String column) {
        return columns.containsKey(column);
    }

    public String text(int row, String column) {
        Integer c = columns.get(column);
        if (c == null) {
            throw new IllegalArgumentException("no column '" + column + "' (have " + columns.keySet() + ")");
        }
        return rows.get(row)[c].trim();
    }

    /** The cell as a number; NaN when empty or not a number. */
    public double num(int row, String column) {
        String s = text(row, column);
        if (s.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public long lng(int row, String column) {
        double d = num(row, column);
        return Double.isNaN(d) ? -1 : (long) d;
    }
}
