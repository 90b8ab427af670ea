package dev.sluice.agent.metrics;

import dev.sluice.sql.driver.QueryStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Structured Streaming queries in the summary line and the CSV sink (the driver's
 * {@code sluice-driver-<pid>-queries.csv}): one line per governed source of each live query run. Values are those the
 * meters show ({@link SparkMeterNames.QuerySourceMeter}); -1 where there is none yet.
 */
final class QueryReport {

    static final String HEADER = "epochMs,query,source,unit,limit,lastBatchAdmitted,admitted,backlog,lastBatchId,"
            + "lastBatchDurationMs,targetMs,triggerMs";

    private QueryReport() {
    }

    static List<String> csvLines(long now, List<QueryStatus> queries) {
        List<String> lines = new ArrayList<String>();
        for (QueryStatus q : queries) {
            for (QueryStatus.Source s : q.sources) {
                lines.add(now + "," + q.key + "," + s.name + "," + s.unit + "," + s.limit + "," + s.lastBatchAdmitted
                        + "," + s.admitted + "," + s.backlog + "," + q.lastBatchId + "," + q.lastBatchDurationMs + ","
                        + q.targetMs + "," + q.triggerMs);
            }
        }
        return lines;
    }

    /**
     * {@code Sluice query 'orders' (run …) kafka0 KafkaV2[…]: limit=1500 rows lastBatchAdmitted=1480 admitted=52000
     * backlog=12000 lastBatch=1900ms target=2000ms trigger=2000ms batch=47}.
     */
    static List<String> summaryLines(List<QueryStatus> queries, boolean last) {
        List<String> lines = new ArrayList<String>();
        for (QueryStatus q : queries) {
            for (QueryStatus.Source s : q.sources) {
                lines.add((last ? "Sluice final query " : "Sluice query ") + q.label + " " + s.name + " "
                        + s.description + ": limit=" + (s.limit < 0 ? "none yet" : s.limit + " " + s.unit)
                        + " lastBatchAdmitted=" + s.lastBatchAdmitted + " admitted=" + s.admitted
                        + (s.backlog < 0 ? "" : " backlog=" + s.backlog) + " lastBatch="
                        + (q.lastBatchDurationMs < 0 ? "none yet" : q.lastBatchDurationMs + "ms") + " target="
                        + q.targetMs + "ms trigger=" + (q.triggerMs > 0 ? q.triggerMs + "ms" : "default")
                        + " batch=" + q.lastBatchId);
            }
        }
        return lines;
    }
}
