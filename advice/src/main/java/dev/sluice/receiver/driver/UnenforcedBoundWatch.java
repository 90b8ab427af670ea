package dev.sluice.receiver.driver;

import dev.sluice.rate.BatchSample;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The driver's half of "agent on one side only". The driver cannot see the executors' counters, but it sees what each
 * batch received: a stream whose batches keep holding more than {@link #EXCESS} times what its bound allows is not
 * enforced, most likely because its executor runs without the agent. Judged at batch submission, when a batch's
 * records are known and its reception interval has just closed, against the larger of the bounds in force at the start
 * and the end of that interval; {@link #BATCHES} such batches in a row give one WARN per stream and context.
 *
 * <p>What it cannot see: without the agent on the executors, Spark's own rate limiter still applies the bounds Sluice
 * publishes to {@code store(single)} receivers (throttling them), so such a stream stays within its bound and is
 * not reported; only bulk stores ({@code store(Iterator|ArrayBuffer|ByteBuffer)}), which Spark never limits, exceed it.
 */
final class UnenforcedBoundWatch {

    static final int BATCHES = 5;
    static final double EXCESS = 2.0;

    private final Map<Integer, Long> boundAtLastSubmission = new HashMap<Integer, Long>();
    private final Map<Integer, Integer> excessRun = new HashMap<Integer, Integer>();
    private final Map<Integer, long[]> runRecords = new HashMap<Integer, long[]>();
    private final Set<Integer> warned = new HashSet<Integer>();

    /**
     * @return the WARN line (without the configuration hint) when a stream has just completed its run of unenforced
     *         batches, else null; at most one stream per call, the others follow at the next submission
     */
    String submitted(BatchSample batch, Iterable<DriverStream> streams) {
        String warning = null;
        for (DriverStream s : streams) {
            int id = s.streamId();
            long now = s.bound();
            Long before = boundAtLastSubmission.put(id, now);
            if (before == null || before <= 0 || now <= 0) {
                excessRun.remove(id);
                continue;
            }
            long bound = Math.max(before, now);
            double allowed = bound * batch.batchIntervalMs / 1000.0;
            long records = batch.recordsOf(id);
            if (records <= EXCESS * allowed + 1) {
                excessRun.remove(id);
                continue;
            }
            Integer run = excessRun.get(id);
            int n = run == null ? 1 : run + 1;
            excessRun.put(id, n);
            long[] minMax = n == 1 ? new long[] {records, records, bound} : runRecords.get(id);
            minMax[0] = Math.min(minMax[0], records);
            minMax[1] = Math.max(minMax[1], records);
            minMax[2] = Math.max(minMax[2], bound);
            runRecords.put(id, minMax);
            if (n >= BATCHES && warning == null && warned.add(id)) {
                warning = "stream " + id + ": the last " + n + " batches received " + minMax[0] + "-" + minMax[1]
                        + " records each while Sluice's bound allowed at most " + Math.round(minMax[2]
                        * batch.batchIntervalMs / 1000.0) + " per batch (" + minMax[2] + "/s x "
                        + batch.batchIntervalMs + " ms): the executors do not enforce the bound. Most likely they run "
                        + "without the agent: it must be on the driver and on every executor";
            }
        }
        return warning;
    }
}
