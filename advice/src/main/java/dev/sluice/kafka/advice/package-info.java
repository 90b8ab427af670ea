/**
 * Thin Byte Buddy advice for Spark's Kafka 0-10 direct stream ({@code DirectKafkaInputDStream}): it forwards to
 * {@code dev.sluice.kafka.driver}. Registered by the agent's {@code KafkaHooks}, checked apart from the receiver hooks:
 * an application without the connector, or a connector that differs, leaves only this part unmanaged.
 */
package dev.sluice.kafka.advice;
