package dev.sluice.testbed.sql;

import java.util.Arrays;

/**
 * The row-by-row exactly-once check of a sink: every id the query should have written (known from the writer's own
 * ledger) is in the sink exactly once, and the sink holds nothing else.
 *
 * @param expected   distinct ids the sink should hold
 * @param held       rows the sink holds
 * @param missing    expected ids the sink does not hold
 * @param duplicated rows beyond the first of an id the sink holds more than once
 * @param unexpected rows whose id was not expected
 */
public record SinkAudit(long expected, long held, long missing, long duplicated, long unexpected) {

    public static SinkAudit of(long[] expectedIds, long[] sinkIds) {
        long[] e = Arrays.stream(expectedIds).sorted().distinct().toArray();
        long[] s = sinkIds.clone();
        Arrays.sort(s);
        long missing = 0;
        long duplicated = 0;
        long unexpected = 0;
        int i = 0;
        int j = 0;
        while (i < e.length || j < s.length) {
            if (j >= s.length || (i < e.length && e[i] < s[j])) {
                missing++;
                i++;
                continue;
            }
            long id = s[j];
            int copies = 0;
            while (j < s.length && s[j] == id) {
                copies++;
                j++;
            }
            if (i < e.length && e[i] == id) {
                duplicated += copies - 1;
                i++;
            } else {
                unexpected += copies;
            }
        }
        return new SinkAudit(e.length, s.length, missing, duplicated, unexpected);
    }

    /** Every expected id exactly once and nothing else (an empty expectation proves nothing and does not pass). */
    public boolean exactlyOnce() {
        return expected > 0 && missing == 0 && duplicated == 0 && unexpected == 0;
    }

    public String verdict() {
        return String.format("%s: %d expected, %d held, %d missing, %d duplicated, %d unexpected",
                exactlyOnce() ? "exactly once" : "FAILED", expected, held, missing, duplicated, unexpected);
    }
}
