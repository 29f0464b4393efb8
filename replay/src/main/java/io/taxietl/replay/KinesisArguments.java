package io.taxietl.replay;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The checked settings of {@code replay kinesis} that reach Kinesis: which stream, where, and how
 * records are keyed.
 *
 * @param stream the stream to send to
 * @param region the AWS region id, or empty for the SDK's region provider chain
 * @param endpoint a non-AWS Kinesis endpoint, or empty for the region's AWS endpoint
 * @param createStream whether to create the stream if it does not exist
 * @param shards the shard count of a stream that is created
 * @param partitionKeys how records get their partition key
 * @param timeoutSeconds how long to keep retrying a batch, and to wait for a created stream
 */
record KinesisArguments(
    String stream,
    Optional<String> region,
    Optional<URI> endpoint,
    boolean createStream,
    OptionalInt shards,
    PartitionKeys partitionKeys,
    int timeoutSeconds) {

  /**
   * How a record's partition key is chosen; watermark events always go to each shard by hash key.
   */
  enum PartitionKeys {
    /**
     * The trip_id as decimal text (a line without one gets a random key): one trip always lands in
     * one shard.
     */
    TRIP_ID,
    /** A random key per record: spreads records evenly over the shards. */
    RANDOM
  }

  KinesisArguments {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(shards, "shards");
    Objects.requireNonNull(partitionKeys, "partitionKeys");
  }

  /** Where the stream is, for messages: the endpoint or the region. */
  String where() {
    return endpoint.map(URI::toString).orElseGet(() -> "region " + region.orElse("(SDK default)"));
  }
}
