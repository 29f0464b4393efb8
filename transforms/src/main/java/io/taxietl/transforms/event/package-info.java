/**
 * The trip event beyond its Avro type ({@code io.taxietl.avro.TripEvent}, generated from {@code
 * TripEvent.avsc}): its JSON form in the input contract's shape, which the Kafka sink writes and
 * Elasticsearch indexes. The trip's coder stays in {@code io.taxietl.transforms} (its name is in
 * savepoints). And the size limit of one event ({@link io.taxietl.transforms.event.EventSize}).
 */
package io.taxietl.transforms.event;
