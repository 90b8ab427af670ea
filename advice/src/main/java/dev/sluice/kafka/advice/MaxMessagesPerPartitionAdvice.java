package dev.sluice.kafka.advice;

import dev.sluice.kafka.driver.KafkaDirectPlanning;
import net.bytebuddy.asm.Advice;
import org.apache.spark.streaming.dstream.InputDStream;
import scala.Option;
import scala.collection.immutable.Map;

/**
 * {@code DirectKafkaInputDStream.maxMessagesPerPartition(Lscala/collection/immutable/Map;)Lscala/Option;} exit (driver,
 * JobGenerator thread, once per batch): Spark's answer (records per partition from its PID rate and
 * {@code maxRatePerPartition}, or None = unbounded) is replaced by Sluice's plan. Spark's {@code clamp} then turns it
 * into offset ranges exactly as before. Only Spark and Scala types appear here: the connector may live in a child class
 * loader the agent cannot see, so the partition keys and {@code ppc} pass as plain objects.
 */
public final class MaxMessagesPerPartitionAdvice {
    private MaxMessagesPerPartitionAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This InputDStream<?> stream, @Advice.Argument(0) Map<?, ?> latestOffsets,
                            @Advice.FieldValue("currentOffsets") Map<?, ?> currentOffsets,
                            @Advice.FieldValue("ppc") Object perPartitionConfig,
                            @Advice.Return(readOnly = false) Option<?> planned) {
        planned = KafkaDirectPlanning.plan(stream, latestOffsets, currentOffsets, perPartitionConfig, planned);
    }
}
