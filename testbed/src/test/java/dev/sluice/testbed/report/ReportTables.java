package dev.sluice.testbed.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the tables of a generated report.md back (tests). */
public final class ReportTables {

    private ReportTables() {
    }

    /** The rows of the (first) table whose header has these columns. */
    public static List<String[]> rows(String md, List<String> columns) {
        List<String[]> rows = new ArrayList<>();
        String header = "| " + String.join(" | ", columns) + " |";
        boolean in = false;
        for (String line : md.split("\n")) {
            if (line.equals(header)) {
                in = true;
            } else if (in && line.startsWith("| ")) {
                rows.add(Arrays.stream(line.substring(1, line.length() - 1).split("\\|")).map(String::trim)
                        .toArray(String[]::new));
            } else if (in && !line.startsWith("|")) {
                break;
            }
        }
        return rows;
    }
}
