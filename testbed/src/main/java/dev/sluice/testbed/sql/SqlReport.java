package dev.sluice.testbed.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code report.md} of a Structured Streaming source: one table of every mode's figures, the charts, the definitions. */
final class SqlReport {

    static final List<String> COLUMNS = List.of("mode", "read limit", "first batch (rows, s)", "batches > 1 trigger",
            "batches > 2 triggers", "backlog read (s)", "drain time (s)", "goodput in drain (rows/s)", "÷ capacity",
            "capacity measured in the run (rows/s)", "rows read (at spike cost)", "sink, row by row", "exit");

    private SqlReport() {
    }

    static Path write(Path out, SqlScenario s, List<SqlRunData> runs, double capacity, String capacityHow,
                      String header) {
        try {
            Path charts = Files.createDirectories(out.resolve("charts"));
            StringBuilder md = new StringBuilder("# Sluice test bed: Structured Streaming, " + s.name() + "\n\n");
            md.append(header).append("\n\n").append("Scenario ").append(s.describe()).append(".\n\n");
            md.append(String.format(Locale.ROOT, "Capacity (the goodput's yardstick and the static limit's base): "
                    + "%.0f rows/s, %s; the backlog is %.0f s of it.%n%n", capacity, capacityHow,
                    s.backlogRows() / capacity));
            List<List<String>> rows = new ArrayList<>();
            for (SqlRunData d : runs) {
                rows.add(row(d, SqlFigures.of(d, s), capacity));
            }
            md.append(table(rows)).append('\n');
            md.append(DEFINITIONS).append('\n');
            for (SqlRunData d : runs) {
                Path chart = SqlCharts.durations(charts.resolve(s.name() + "-" + d.mode().id + "-durations.png"), d, s);
                md.append("![").append(d.mode().id).append(" batch durations](")
                        .append(out.relativize(chart)).append(")\n\n");
                if (!d.notes().isEmpty()) {
                    md.append("Note (").append(d.mode().id).append("): ").append(d.notes()).append("\n\n");
                }
            }
            Path read = SqlCharts.rowsRead(charts.resolve(s.name() + "-rows-read.png"), runs);
            md.append("![rows read](").append(out.relativize(read)).append(")\n");
            Path report = out.resolve("report.md");
            Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
            return report;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report under " + out, e);
        }
    }

    static List<String> row(SqlRunData d, SqlFigures f, double capacity) {
        List<String> r = new ArrayList<>();
        r.add(d.mode().id);
        r.add(d.limit());
        r.add(f.batches() == 0 ? "no batch" : String.format(Locale.ROOT, "%d, %.1f", f.firstRows(), f.firstMs() / 1000.0));
        r.add(f.overOne() + " of " + f.batches());
        r.add(f.overTwo() + " of " + f.batches());
        r.add(f.backlog().reached() ? String.format(Locale.ROOT, "%.1f (batch %d)", f.backlog().ms() / 1000.0,
                d.batches().get(f.backlog().batchIndex()).batchId())
                : String.format(Locale.ROOT, "not in %.1f", f.backlog().ms() / 1000.0));
        r.add(f.drain().caughtUp() ? String.format(Locale.ROOT, "%.1f (batch %d)", f.drain().ms() / 1000.0,
                d.batches().get(f.drain().batchIndex()).batchId())
                : String.format(Locale.ROOT, "not caught up in %.1f", f.drain().ms() / 1000.0));
        r.add(String.format(Locale.ROOT, "%.0f", f.drain().rowsPerSecond()));
        r.add(String.format(Locale.ROOT, "%.2f", f.drain().rowsPerSecond() / capacity));
        r.add(String.format(Locale.ROOT, "%.0f", f.capacity()));
        r.add(String.format(Locale.ROOT, "%d (%d of %d)", f.rowsRead(), f.spikeRowsRead(), d.spikeRows().count()));
        r.add(d.audit().verdict());
        r.add(d.result().timedOut() ? "timed out" : String.valueOf(d.result().exitCode()));
        return r;
    }

    static String table(List<List<String>> rows) {
        StringBuilder md = new StringBuilder("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        md.append("|").append("---|".repeat(COLUMNS.size())).append("\n");
        for (List<String> r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        return md.toString();
    }

    static final String DEFINITIONS = """
            Definitions (batches are the query's data batches, from its progress events):
            * **first batch**: rows and duration of batch 0.
            * **batches > 1 / > 2 triggers**: batches whose duration exceeded one / two trigger intervals.
            * **backlog read**: from the start of batch 0 to the end of the batch with which the rows read reached the
              backlog (the rows written before the query started), arrivals meanwhile ignored.
            * **drain time**: from the start of batch 0 to the end of the first batch b such that batches 0..b read every
              row readable one trigger interval before b ended (the writer's record: a file renamed in, a record the broker
              acknowledged); after it, what is left unread arrived within the last interval. "not caught up": no batch of
              the run was such a batch (the figure is then the whole run).
            * **goodput in drain**: rows read by batches 0..b ÷ the drain time; **÷ capacity**: over the capacity above
              (measured in the none run unless given).
            * **capacity measured in the run**: rows ÷ batch duration over the batches that started before the spike and
              filled at least 0.8 of the trigger interval; with fewer than 10 such batches, the line fitted through
              duration over rows, extrapolated to a batch of one trigger interval.
            * **rows read (at spike cost)**: rows all batches read; in brackets how many of them were rows written at the
              spike's cost, of all such rows (rows are read in arrival order, so a mode meets them only once it has read
              everything written before the spike).
            * **sink, row by row**: every id the committed batches should have written (the writer's ids: the files
              the file source's log assigns to batches up to the sink's last commit / the producer's ledger below the
              last committed batch's end offsets) is in the sink exactly once, and nothing else is.
            """;
}
