package dev.sluice.kafka.driver;

import dev.sluice.receiver.driver.DriverStream;
import dev.sluice.runtime.AdviceErrors;
import dev.sluice.runtime.RuntimeSettings;
import dev.sluice.runtime.SluiceLog;
import dev.sluice.runtime.SluiceRuntime;
import org.apache.spark.streaming.dstream.InputDStream;
import scala.Option;
import scala.Some;
import scala.collection.immutable.Map;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Entry point of the planning advice: replaces Spark's records-per-partition for one batch of a direct Kafka stream
 * with Sluice's plan. Spark's {@code clamp} then sets each partition's end offset to
 * {@code min(current + planned, latest)}, so the batch's ranges stay contiguous with the previous batch's and records
 * not admitted wait in Kafka for the next batch (throttle; nothing is skipped, and offsets the application commits with
 * {@code CanCommitOffsets} are those of the ranges it processed, as without Sluice). Each plan is also recorded in the
 * stream's {@link dev.sluice.receiver.driver.PlannedAdmission} for the meters: the bound, the records admitted and the
 * lag left in Kafka (Spark's arguments here are exactly the latest offsets and the current ones, read once per batch).
 *
 * <p>Spark's own answer is ignored whatever produced it (its PID when {@code spark.streaming.backpressure.enabled=true},
 * {@code maxRatePerPartition}, or nothing): the user's per-partition limits are read again from the stream's
 * {@code PerPartitionConfig} and applied on top of Sluice's bound, so they hold as before.
 */
public final class KafkaDirectPlanning {

    private static final ConcurrentHashMap<Integer, Boolean> ANNOUNCED = new ConcurrentHashMap<Integer, Boolean>();

    private KafkaDirectPlanning() {
    }

    /** {@code maxMessagesPerPartition} exit; returns what Spark's {@code clamp} should use. */
    public static Option<?> plan(InputDStream<?> stream, Map<?, ?> latest, Map<?, ?> current, Object perPartitionConfig,
                                 Option<?> sparkPlan) {
        try {
            if (!KafkaDirectSupport.enabled() || latest.size() == 0) {
                return sparkPlan;
            }
            RuntimeSettings settings = SluiceRuntime.settings();
            int streamId = stream.id();
            long batchMs = stream.context().graph().batchDuration().milliseconds();
            List<Object> partitions = ScalaOffsets.keys(latest);
            PartitionRates rates = new PartitionRates(perPartitionConfig, partitions.get(0).getClass());
            int n = partitions.size();
            long[] lags = new long[n];
            long[] maxPerBatch = new long[n];
            long[] minPerBatch = new long[n];
            for (int i = 0; i < n; i++) {
                Object tp = partitions.get(i);
                long end = ScalaOffsets.offset(latest, tp, 0);
                lags[i] = Math.max(0, end - ScalaOffsets.offset(current, tp, end));
                long maxRate = rates.maxPerSecond(tp);
                maxPerBatch[i] = maxRate > 0 ? Math.max(1, (long) (maxRate * batchMs / 1000.0)) : 0;
                minPerBatch[i] = rates.minPerBatch(tp);
            }
            double batchRecords = DirectStreamBound.batchRecords(streamId, settings, batchMs);
            long[] planned = OffsetRangeSplit.split(batchRecords, lags, maxPerBatch, minPerBatch);
            Option<?> plan = new Some<Object>(ScalaOffsets.withCounts(latest, partitions, planned));
            DriverStream view = DirectStreamBound.stream(streamId);
            if (view != null) {
                view.planned().batchPlanned(Math.round(batchRecords * 1000 / batchMs), lags, planned);
            }
            announce(stream, streamId, n, settings);
            return plan;
        } catch (Throwable t) {
            AdviceErrors.record(AdviceErrors.Hook.KAFKA_PLANNING, t);
            return sparkPlan;
        }
    }

    /** One line per stream, at its first plan: who plans, and whether Sluice took over from Spark's PID. */
    private static void announce(InputDStream<?> stream, int streamId, int partitions, RuntimeSettings settings) {
        if (ANNOUNCED.putIfAbsent(streamId, Boolean.TRUE) != null) {
            return;
        }
        boolean sparkBackpressure = stream.context().conf().getBoolean("spark.streaming.backpressure.enabled", false);
        SluiceLog.info("Kafka direct stream " + streamId + " (" + partitions + " partitions): Sluice plans its offset "
                + "ranges (bound x batch interval, split by lag; first batches at the start probe of "
                + (long) DirectStreamBound.startProbe(settings) + " records/s until the estimator's first bound)"
                + (sparkBackpressure ? "; spark.streaming.backpressure.enabled=true: Sluice takes over from Spark's "
                + "PID for this stream" : ""));
        String strategy = settings.strategyOf(streamId);
        if (!"throttle".equals(strategy)) {
            SluiceLog.warn("strategy '" + strategy + "' does not apply to Kafka direct stream " + streamId
                    + ": a direct stream sheds nothing (it would have to skip offsets); records beyond the bound wait "
                    + "in Kafka, as with throttle");
        }
    }
}
