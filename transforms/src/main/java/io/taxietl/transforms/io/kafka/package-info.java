/**
 * Kafka: the source ({@link io.taxietl.transforms.io.kafka.ReadKafkaEvents}, its starting position,
 * consumer-lag gauges and the step that drops records the source read twice) and the sink ({@link
 * io.taxietl.transforms.io.kafka.WriteToKafka}).
 */
package io.taxietl.transforms.io.kafka;
