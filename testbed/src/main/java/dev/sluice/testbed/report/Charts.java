package dev.sluice.testbed.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The report's PNG charts (XChart), every mode of one scenario overlaid, x = seconds from the scenario start. */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Free block-manager storage memory (max - used, on heap), the smallest over executors, per second. */
    static Path freeMemory(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": free storage memory of the block manager (lowest executor)", "free (MB)");
        for (RunData d : runs) {
            TreeMap<Double, Double> min = new TreeMap<>();
            for (RunData.MemorySample m : d.memory) {
                double free = m.storageMaxMb() - m.storageUsedMb();
                if (!Double.isNaN(free) && m.t() >= 0 && m.t() <= d.stopT) {
                    min.merge(Math.floor(m.t()), free, Math::min);
                }
            }
            add(c, d.label(), min, false, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-free-memory.png"));
    }

    static Path heapAfterGc(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": executor heap after GC (highest executor)", "heap after GC (MB)");
        for (RunData d : runs) {
            TreeMap<Double, Double> max = new TreeMap<>();
            for (RunData.MemorySample m : d.memory) {
                if (!Double.isNaN(m.heapAfterGcMb()) && m.t() >= 0 && m.t() <= d.stopT) {
                    max.merge(Math.floor(m.t()), m.heapAfterGcMb(), Math::max);
                }
            }
            add(c, d.label(), max, false, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-heap-after-gc.png"));
    }

    /** Offered rate (scenario), processed records/s per mode (solid), Sluice's bound per mode (dashed). */
    static Path rates(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": offered, processed (by completion, 5 s average), Sluice bound (dashed)", "records/s");
        if (!runs.isEmpty()) {
            RunData first = runs.get(0);
            TreeMap<Double, Double> offered = new TreeMap<>();
            for (double t = 0; t <= first.loadEndT(); t += 0.5) {
                offered.put(t, first.scenario.rateAt(Math.round(t * 1000)));
            }
            add(c, "offered", offered, false, Color.BLACK);
        }
        for (RunData d : runs) {
            add(c, d.label() + " processed", processedSeries(d), false, color(d.mode));
            TreeMap<Double, Double> bound = boundSeries(d);
            if (!bound.isEmpty()) {
                add(c, d.label() + " bound", bound, true, color(d.mode));
            }
        }
        return save(c, out.resolve(scenario + "-rates.png"));
    }

    /**
     * Records of completed batches per second of wall time, by completion time, averaged over a centred 5 s window
     * (batches complete at irregular instants: 1 s buckets alternate between 0 and two batches).
     */
    static TreeMap<Double, Double> processedSeries(RunData d) {
        int n = (int) Math.floor(Math.max(0, d.stopT)) + 1;
        double[] perSecond = new double[n];
        for (RunData.Batch b : d.batches) {
            if (!b.pending() && b.endT() >= 0 && b.endT() < n) {
                perSecond[(int) Math.floor(b.endT())] += b.records();
            }
        }
        TreeMap<Double, Double> out = new TreeMap<>();
        for (int t = 0; t < n; t++) {
            double sum = 0;
            int k = 0;
            for (int j = Math.max(0, t - 2); j <= Math.min(n - 1, t + 2); j++) {
                sum += perSecond[j];
                k++;
            }
            out.put((double) t, sum / k);
        }
        return out;
    }

    static Path schedulingDelay(Path out, String scenario, List<RunData> runs) {
        return perBatch(out, scenario, runs, "scheduling delay (pending batches at stop: lower bound)",
                "scheduling-delay", true, RunData.Batch::schedulingDelayS);
    }

    /** One value per batch, by batch time; pending batches only when {@code withPending}. */
    private static Path perBatch(Path out, String scenario, List<RunData> runs, String title, String file,
                                 boolean withPending, java.util.function.ToDoubleFunction<RunData.Batch> value) {
        XYChart c = chart(scenario + ": " + title, "seconds");
        for (RunData d : runs) {
            TreeMap<Double, Double> s = new TreeMap<>();
            for (RunData.Batch b : d.batches) {
                if (b.t() >= 0 && (withPending || !b.pending())) {
                    s.put(b.t(), value.applyAsDouble(b));
                }
            }
            add(c, d.label(), s, false, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-" + file + ".png"));
    }

    /** Cumulative records lost: dropped by Sluice plus dropped at the source. */
    static Path drops(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": records lost (Sluice drops + source drops), cumulative", "records");
        for (RunData d : runs) {
            TreeMap<Double, Double> lost = new TreeMap<>();
            TreeMap<Double, Long> source = new TreeMap<>();
            long acc = 0;
            for (RunData.SourceSecond s : d.source) {
                acc += s.dropped();
                source.put(s.t(), acc);
            }
            Map<String, Long> lastPerStream = new java.util.HashMap<>();
            TreeMap<Double, Long> sluice = new TreeMap<>();
            for (RunData.SluiceSample x : d.sluice) {
                if ("executor".equals(x.role()) && x.dropped() >= 0) {
                    lastPerStream.merge(x.file() + "#" + x.streamId(), x.dropped(), Math::max);
                    long sum = 0;
                    for (long v : lastPerStream.values()) {
                        sum += v;
                    }
                    sluice.put(x.t(), sum);
                }
            }
            TreeMap<Double, Boolean> times = new TreeMap<>();
            source.keySet().forEach(t -> times.put(t, true));
            sluice.keySet().forEach(t -> times.put(t, true));
            for (double t : times.keySet()) {
                if (t < 0 || t > d.stopT) {
                    continue;
                }
                Map.Entry<Double, Long> a = source.floorEntry(t);
                Map.Entry<Double, Long> b = sluice.floorEntry(t);
                lost.put(t, (double) ((a == null ? 0 : a.getValue()) + (b == null ? 0 : b.getValue())));
            }
            add(c, d.label(), lost, false, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-drops.png"));
    }

    /**
     * Data age per batch: at its completion, the age of its oldest record (solid) and of its newest (dashed), by batch
     * time; what users feel.
     */
    static Path dataAge(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": data age at completion, oldest record of each batch (solid), newest (dashed)",
                "seconds");
        for (RunData d : runs) {
            TreeMap<Double, Double> oldest = new TreeMap<>();
            TreeMap<Double, Double> newest = new TreeMap<>();
            for (RunData.Batch b : d.batches) {
                if (b.t() >= 0) {
                    oldest.put(b.t(), DataAge.ageAtCompletion(b, true));
                    newest.put(b.t(), DataAge.ageAtCompletion(b, false));
                }
            }
            add(c, d.label() + " oldest", oldest, false, color(d.mode));
            add(c, d.label() + " newest", newest, true, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-data-age.png"));
    }

    /** Processing time of each completed batch, by batch time. */
    static Path processingTime(Path out, String scenario, List<RunData> runs) {
        return perBatch(out, scenario, runs, "processing time per batch", "processing-time", false,
                RunData.Batch::processingDelayS);
    }

    /** Records the source could not push (the receiver's socket did not take them), per second. */
    static Path sourceRefusals(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": records refused at the source per second", "records/s");
        for (RunData d : runs) {
            TreeMap<Double, Double> s = new TreeMap<>();
            for (RunData.SourceSecond x : d.source) {
                if (x.t() >= 0 && x.t() <= d.stopT) {
                    s.put(x.t(), (double) x.dropped());
                }
            }
            add(c, d.label(), s, false, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-source-refusals.png"));
    }

    /** Kafka source: records produced and not yet processed (solid) and not yet planned into a batch (dashed). */
    static Path consumerLag(Path out, String scenario, List<RunData> runs) {
        XYChart c = chart(scenario + ": consumer lag: records in Kafka not yet processed (solid), not yet planned"
                + " into a batch (dashed)", "records");
        for (RunData d : runs) {
            TreeMap<Double, Double> unprocessed = new TreeMap<>();
            TreeMap<Double, Double> unplanned = new TreeMap<>();
            for (RunData.LagSample x : d.lag) {
                if (x.t() >= 0 && x.t() <= d.stopT) {
                    unprocessed.put(x.t(), (double) x.notProcessed());
                    unplanned.put(x.t(), (double) x.notPlanned());
                }
            }
            add(c, d.label() + " not processed", unprocessed, false, color(d.mode));
            add(c, d.label() + " not planned", unplanned, true, color(d.mode));
        }
        return save(c, out.resolve(scenario + "-consumer-lag.png"));
    }

    /** Sum over streams of the bound the driver published (agent driver CSV); -1 (none) left out. */
    static TreeMap<Double, Double> boundSeries(RunData d) {
        TreeMap<Double, Map<Integer, Double>> byTime = new TreeMap<>();
        for (RunData.SluiceSample x : d.sluice) {
            if ("driver".equals(x.role()) && x.bound() >= 0 && x.t() >= 0 && x.t() <= d.stopT) {
                byTime.computeIfAbsent(x.t(), k -> new TreeMap<>()).put(x.streamId(), x.bound());
            }
        }
        TreeMap<Double, Double> out = new TreeMap<>();
        byTime.forEach((t, m) -> out.put(t, m.values().stream().mapToDouble(Double::doubleValue).sum()));
        return out;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(1000).height(480).title(title).xAxisTitle("seconds from scenario start")
                .yAxisTitle(yTitle).build();
        c.getStyler().setMarkerSize(0);
        c.getStyler().setPlotGridLinesVisible(true);
        return c;
    }

    /** One colour per mode across every chart. */
    static Color color(String mode) {
        return switch (mode) {
            case "stock" -> new Color(0xD62728);
            case "spark" -> new Color(0xFF7F0E);
            case "spark-tuned" -> new Color(0x8C564B);
            case "sluice-throttle" -> new Color(0x1F77B4);
            case "sluice-drop" -> new Color(0x2CA02C);
            case "sluice-sample" -> new Color(0x9467BD);
            case "reactive" -> new Color(0x17BECF);
            default -> new Color(0x7F7F7F);
        };
    }

    private static void add(XYChart c, String name, TreeMap<Double, Double> points, boolean dashed, Color color) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        points.forEach((k, v) -> {
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                x.add(k);
                y.add(v);
            }
        });
        if (x.isEmpty()) {
            x.add(0.0);
            y.add(0.0);
            name = name + " (no data)";
        }
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        if (dashed) {
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
    }

    /** Writes {@code c} as a PNG to {@code file}. */
    public static Path save(XYChart c, Path file) {
        try {
            BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write chart " + file, e);
        }
    }
}
