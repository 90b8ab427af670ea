package dev.sluice.agent.metrics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The executor's half of "agent on one side only": a stream that keeps storing records with no bound from the driver
 * for {@link #AFTER_MS} most likely runs under a driver without Sluice (its bounds travel only from Sluice's driver
 * side, or from Spark's own back-pressure). One WARN per stream; fed by the metrics thread with the time.
 */
final class NoBoundWatch {

    static final long AFTER_MS = 2 * 60_000L;

    private final Map<Integer, Long> unboundSince = new HashMap<Integer, Long>();
    private final Set<Integer> warned = new HashSet<Integer>();

    /** @return the WARN line, once per stream, else null */
    String observe(long now, int streamId, long offered, boolean hasLearnedBound) {
        if (hasLearnedBound || offered == 0) {
            unboundSince.remove(streamId);
            return null;
        }
        Long since = unboundSince.get(streamId);
        if (since == null) {
            unboundSince.put(streamId, now);
            return null;
        }
        if (now - since < AFTER_MS || !warned.add(streamId)) {
            return null;
        }
        return "stream " + streamId + " has stored records for " + (now - since) / 1000 + " s without a bound from "
                + "the driver: is the agent on the driver too (the driver's own -javaagent; spark.driver.extraJavaOptions "
                + "only works when Spark starts the driver JVM)? Without Sluice on the driver, the executors count but "
                + "have no bound to enforce. If the driver runs Sluice, its estimator has published nothing yet (no batch "
                + "completed?).";
    }
}
