/**
 * The real servers that the integration tests run against, each started on 127.0.0.1 through the
 * project's own script in {@code scripts/} (Kafka, Elasticsearch/OpenSearch, kinesalite, S3Mock, a
 * Flink session cluster), and {@link io.taxietl.testing.Await}, the wait on a condition with a
 * deadline that every test uses instead of sleeping.
 */
package io.taxietl.testing;
