package dev.sluice.kafka.driver;

import dev.sluice.runtime.DriverStream;
import dev.sluice.runtime.DriverStreams;
import dev.sluice.runtime.RuntimeSettings;

/**
 * The rate (records/s) a direct stream's next batch is planned with: the estimator's latest bound for that stream once
 * it has published one; before that, the <b>start probe</b>.
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

    static double recordsPerSecond(int streamId, RuntimeSettings settings) {
        long bound = published(streamId);
        return bound > 0 ? bound : startProbe(settings);
    }

    static double startProbe(RuntimeSettings settings) {
        double initial = settings.getDouble("sluice.rate.initial", 0);
        return initial > 0 ? initial : Math.max(1, settings.getDouble("sluice.rate.min", 100));
    }

    /** The estimator's latest bound for this stream, or -1 before its first. */
    static long published(int streamId) {
        for (DriverStream s : DriverStreams.all()) {
            if (s.streamId() == streamId) {
                return s.bound();
            }
        }
        return -1;
    }
}
