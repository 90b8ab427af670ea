package dev.sluice.testbed.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kafka source's extra figures for one run, from {@code lag.csv}, {@code planned.csv} and {@code run.properties}
 * (definitions in docs/testbed.md, "Kafka source"). Lag is measured outside Sluice: the producer's ledger against the
 * batches Spark planned and the ranges the job processed.
 */
public record KafkaFigures(String mode, long backlogAtStart, long firstBatchRecords, long peakNotPlanned,
                           long peakNotProcessed, long notProcessedAtLoadEnd, String exactlyOnce) {

    public static final List<String> COLUMNS = List.of("mode", "backlog at start", "first batch (records)",
            "peak lag not planned", "peak lag not processed", "lag not processed at load end",
            "exactly once (vs producer ledger)");

    public static KafkaFigures of(RunData d) {
        long first = -1;
        for (long r : d.plannedRecords) {
            if (r > 0) {
                first = r;
                break;
            }
        }
        long peakPlanned = -1;
        long peakProcessed = -1;
        long atEnd = -1;
        for (RunData.LagSample x : d.lag) {
            if (x.t() < 0 || x.t() > d.stopT) {
                continue;
            }
            peakPlanned = Math.max(peakPlanned, x.notPlanned());
            peakProcessed = Math.max(peakProcessed, x.notProcessed());
            if (x.t() <= d.loadEndT()) {
                atEnd = x.notProcessed();
            }
        }
        String once = d.props.getProperty("exactlyOnce", "n/a");
        if (Boolean.parseBoolean(d.props.getProperty("exactlyOnce.ok"))) {
            once = "yes: " + d.props.getProperty("exactlyOnce.records") + " records of "
                    + d.props.getProperty("produced") + " produced, contiguous, counts and checksums equal";
        }
        return new KafkaFigures(d.mode, Long.parseLong(d.props.getProperty("backlog", "0")), first, peakPlanned,
                peakProcessed, atEnd, once);
    }

    public List<String> row() {
        List<String> r = new ArrayList<>();
        r.add(mode);
        r.add(Long.toString(backlogAtStart));
        r.add(count(firstBatchRecords));
        r.add(count(peakNotPlanned));
        r.add(count(peakNotProcessed));
        r.add(count(notProcessedAtLoadEnd));
        r.add(exactlyOnce.replace("|", "/"));
        return r;
    }

    /** A markdown table, one row per run of the scenario. */
    static String table(List<RunData> runs) {
        StringBuilder md = new StringBuilder("Kafka source: consumer lag (records; producer's ledger vs. batches ")
                .append("planned and ranges processed) and exactly-once accounting.\n\n");
        md.append("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        md.append("|").append("---|".repeat(COLUMNS.size())).append('\n');
        for (RunData d : runs) {
            md.append("| ").append(String.join(" | ", of(d).row())).append(" |\n");
        }
        return md.toString();
    }

    private static String count(long v) {
        return v < 0 ? "n/a" : String.format(Locale.ROOT, "%d", v);
    }
}
