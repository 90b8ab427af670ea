package dev.sluice.testbed.sql;

import dev.sluice.testbed.report.Charts;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Structured Streaming report's PNG charts (XChart, the style of the report's other charts). */
final class SqlCharts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private SqlCharts() {
    }

    /** Every batch's duration (a point at its start, s from the query's first batch) against 1 and 2 triggers. */
    static Path durations(Path file, SqlRunData d, SqlScenario s) {
        XYChart c = chart(d.mode().id + " (" + d.limit() + "): batch duration", "seconds from the first batch's start",
                "batch duration (s)");
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        long t0 = d.batches().isEmpty() ? 0 : d.batches().get(0).startMs();
        for (SqlBatch b : d.batches()) {
            x.add((b.startMs() - t0) / 1000.0);
            y.add(b.durationMs() / 1000.0);
        }
        double end = x.isEmpty() ? s.querySeconds() : Math.max(x.get(x.size() - 1), 1);
        XYSeries batches = c.addSeries("batches (" + d.batches().size() + ")", x.isEmpty() ? List.of(0.0) : x,
                y.isEmpty() ? List.of(0.0) : y);
        batches.setLineColor(color(d.mode()));
        batches.setMarker(SeriesMarkers.CIRCLE);
        batches.setMarkerColor(color(d.mode()));
        line(c, "1 trigger", end, s.triggerMs() / 1000.0, Color.DARK_GRAY);
        line(c, "2 triggers", end, 2 * s.triggerMs() / 1000.0, Color.LIGHT_GRAY);
        if (d.queryStartMs() > 0) {
            double from = (s.spikeStartMs(d.queryStartMs()) - t0) / 1000.0;
            double to = (s.spikeEndMs(d.queryStartMs()) - t0) / 1000.0;
            XYSeries spike = c.addSeries("rows written at " + s.spikeFactor() + "x cost", List.of(from, to),
                    List.of(0.0, 0.0));
            spike.setLineColor(Color.MAGENTA);
            spike.setLineWidth(6);
            spike.setMarker(SeriesMarkers.NONE);
        }
        return Charts.save(c, file);
    }

    /** Rows read (cumulative, at each batch's end) against rows readable, per mode, s from each first batch. */
    static Path rowsRead(Path file, List<SqlRunData> runs) {
        XYChart c = chart("rows read (solid) and rows readable (dashed)", "seconds from the first batch's start",
                "rows");
        for (SqlRunData d : runs) {
            if (d.batches().isEmpty()) {
                continue;
            }
            long t0 = d.batches().get(0).startMs();
            List<Double> x = new ArrayList<>(List.of(0.0));
            List<Double> y = new ArrayList<>(List.of(0.0));
            List<Double> ay = new ArrayList<>(List.of((double) d.readableBy().applyAsLong(t0)));
            long read = 0;
            for (SqlBatch b : d.batches()) {
                read += b.rows();
                x.add((b.endMs() - t0) / 1000.0);
                y.add((double) read);
                ay.add((double) d.readableBy().applyAsLong(b.endMs()));
            }
            XYSeries r = c.addSeries(d.mode().id + " read", x, y);
            r.setLineColor(color(d.mode()));
            r.setMarker(SeriesMarkers.NONE);
            XYSeries a = c.addSeries(d.mode().id + " readable", x, ay);
            a.setLineColor(color(d.mode()));
            a.setLineStyle(SeriesLines.DASH_DASH);
            a.setMarker(SeriesMarkers.NONE);
        }
        return Charts.save(c, file);
    }

    private static void line(XYChart c, String name, double end, double y, Color color) {
        XYSeries s = c.addSeries(name, List.of(0.0, end), List.of(y, y));
        s.setLineColor(color);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(1000).height(420).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setMarkerSize(5);
        return c;
    }

    static Color color(SqlMode mode) {
        return switch (mode) {
            case NONE -> new Color(0xD62728);
            case STATIC -> new Color(0xFF7F0E);
            case SLUICE -> new Color(0x1F77B4);
        };
    }
}
