package dev.sluice.kafka.driver;

import dev.sluice.receiver.driver.DriverStream;
import dev.sluice.receiver.driver.DriverStreams;
import dev.sluice.runtime.RuntimeSettings;

/**
 * How many records a direct stream's next batch is planned with: the estimator's latest bound for that stream × the
 * interval once it has published one; before that, the <b>start probe</b>; the floor while batches queue.
 *
 * <p>Why a probe: a direct stream reads what is already in Kafka, so after a start or a restart behind a backlog an
 * unbounded first batch would take the whole backlog (stock Spark took 314 000 records in one batch on the run).
 * Nothing is known about the job's capacity before a batch has run, so the first batches are planned at
 * {@code sluice.rate.initial} when the user set one, else at {@code sluice.rate.min} (100 records/s by default): a
 * batch of that size runs well within any interval worth using. The estimator then takes over from that batch's
 * submission and ramps up from measurements (its probe at least doubles the bound each batch that finishes well in
 * time). Nothing to tune.
 */
final class DirectStreamBound {

    private DirectStreamBound() {
    }

    /**
     * Records the next batch may hold: the rate × the interval; but 0 (the split then gives each partition with lag
     * its floor of one record) while the stream's latest completed batch waited more than one interval. Batches are
     * then queued behind a slow one (typically the first, on cold executors), each costs its fixed overhead whatever
     * it holds, and every record admitted now only lengthens the queue: the floor lets it drain fastest and still
     * moves every partition. Planning returns to the bound once a completed batch waited less than an interval.
     */
    static double batchRecords(int streamId, RuntimeSettings settings, long batchMs) {
        DriverStream s = stream(streamId);
        if (s != null && s.bound() > 0 && s.schedulingDelayMs() > batchMs) {
            return 0;
        }
        long bound = s == null ? -1 : s.bound();
        return (bound > 0 ? bound : startProbe(settings)) * batchMs / 1000.0;
    }

    static double startProbe(RuntimeSettings settings) {
        double initial = settings.getDouble("sluice.rate.initial", 0);
        return initial > 0 ? initial : Math.max(1, settings.getDouble("sluice.rate.min", 100));
    }

    /** The estimator's latest bound for this stream, or -1 before its first. */
    static long published(int streamId) {
        DriverStream s = stream(streamId);
        return s == null ? -1 : s.bound();
    }

    /** The driver's view of the stream, or null when no live context governs it. */
    static DriverStream stream(int streamId) {
        for (DriverStream s : DriverStreams.all()) {
            if (s.streamId() == streamId) {
                return s;
            }
        }
        return null;
    }
}
