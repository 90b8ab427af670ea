/**
 * Sluice for Kafka direct streams, on the driver: admission at planning time. Each batch's offset ranges are capped by
 * the stream's bound (records/s × batch interval) from the same estimator receiver streams use, split across partitions
 * by lag ({@link dev.sluice.kafka.driver.OffsetRangeSplit}). Unadmitted records wait in Kafka (throttle); nothing is
 * skipped. Plain Java: no connector or Kafka type is linked, since the connector may be loaded by a class loader the
 * agent cannot see.
 */
package dev.sluice.kafka.driver;
