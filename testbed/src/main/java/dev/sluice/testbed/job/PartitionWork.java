package dev.sluice.testbed.job;

import dev.sluice.testbed.source.Records;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The job's per-partition work: every record costs {@link Work#hanoi}; returns records, checksum, oldest and newest send time. */
final class PartitionWork {

    private PartitionWork() {
    }

    /** One element: {@code {records, checksum, minSendMs, maxSendMs}}. */
    static Iterator<long[]> process(Iterator<String> it, int base) {
        long n = 0;
        long check = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        while (it.hasNext()) {
            String line = it.next();
            n++;
            int cost = Records.cost(line);
            if (cost >= 0) {
                check += Work.hanoi(base + cost);
            }
            long sent = Records.sendEpochMs(line);
            if (sent > 0) {
                min = Math.min(min, sent);
                max = Math.max(max, sent);
            }
        }
        List<long[]> one = new ArrayList<>(1);
        one.add(new long[] {n, check, min, max});
        return one.iterator();
    }
}
