package dev.sluice.smoke;

import dev.sluice.testbed.cluster.SparkVersion;

/**
 * SPARK-55271 (apache/spark#55236; introduced in 4.1.0 by SPARK-54027, fixed in 4.2.0): Spark 4.1's
 * {@code KafkaMicroBatchStream.metrics} wraps {@code latestPartitionOffsets} in {@code Some(...)}, and that field is
 * null until {@code latestOffset} runs in the query run. A query restarted with a batch logged but not committed replays
 * it without calling {@code latestOffset}, so reporting that batch's progress throws a {@code NullPointerException} and
 * the query terminates ({@code javap -c} on spark-sql-kafka-0-10_2.13 4.1.0: {@code new scala/Some}; 4.2.0:
 * {@code Option$.apply}). Reported upstream on stock Spark; Sluice's advice only replaces the limit passed to
 * {@code latestOffset} and never keeps it from being called.
 */
final class SparkKafkaMetricsBug {

    static final String DESCRIPTION = "Spark 4.1's SPARK-55271: the restarted query terminated with a "
            + "NullPointerException in KafkaMicroBatchStream.metrics while reporting the replayed batch's progress";

    private SparkKafkaMetricsBug() {
    }

    /** The driver's output shows that failure, on a line that has the bug (4.1.x). */
    static boolean hit(SparkVersion line, String driverOutput) {
        return line.major() == 4 && line.minor() == 1
                && driverOutput.contains("because the return value of \"scala.Option.get()\" is null")
                && driverOutput.contains("at org.apache.spark.sql.kafka010.KafkaMicroBatchStream$.metrics(");
    }
}
