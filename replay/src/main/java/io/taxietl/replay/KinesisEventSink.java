package io.taxietl.replay;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Sends records to a Kinesis data stream with PutRecords, in batches within the API's limits (500
 * records and 5 MB a request, 1 MB a record). Entries that a batch reports as failed (throttled or
 * an internal error) are sent again, alone, with exponential backoff, until {@code timeoutSeconds}
 * has passed without progress; entries that succeeded are never sent twice. Records are sent in
 * order within a batch, and a batch is complete before the next one starts, so the order of one
 * partition key is kept unless an entry had to be retried. Credentials come from the AWS SDK's
 * default provider chain.
 *
 * <p>The "partitions" of {@link EventSink} are the stream's open shards, ordered by hash key: a
 * record sent to partition {@code i} carries the starting hash key of shard {@code i} as its
 * explicit hash key.
 */
final class KinesisEventSink implements EventSink {
  static final int MAX_BATCH_RECORDS = 500;
  static final long MAX_BATCH_BYTES = 5L * 1024 * 1024;
  static final int MAX_RECORD_BYTES = 1024 * 1024;
  private static final long FIRST_BACKOFF_MILLIS = 50;
  private static final long MAX_BACKOFF_MILLIS = 2_000;

  private final KinesisClient client;
  private final KinesisArguments arguments;
  private final List<Shard> openShards;
  private final List<PutRecordsRequestEntry> batch = new ArrayList<>();
  private long batchBytes;
  private long retriedEntries;
  private long requests;

  private KinesisEventSink(
      KinesisClient client, KinesisArguments arguments, List<Shard> openShards) {
    this.client = client;
    this.arguments = arguments;
    this.openShards = openShards;
  }

  /**
   * Connects, creates the stream if asked to (and waits until it is ACTIVE) and lists its open
   * shards.
   */
  static KinesisEventSink open(KinesisArguments arguments, PrintStream progress)
      throws IOException {
    KinesisClient client = client(arguments);
    try {
      if (arguments.createStream()) {
        try {
          client.createStream(
              b -> b.streamName(arguments.stream()).shardCount(arguments.shards().getAsInt()));
          progress.printf(
              "replay kinesis: created stream '%s' with %d shards%n",
              arguments.stream(), arguments.shards().getAsInt());
        } catch (ResourceInUseException e) {
          progress.printf("replay kinesis: stream '%s' exists%n", arguments.stream());
        }
      }
      awaitActive(client, arguments);
      return new KinesisEventSink(client, arguments, openShards(client, arguments.stream()));
    } catch (ResourceNotFoundException e) {
      client.close();
      throw new KinesisReplayException(
          "stream '"
              + arguments.stream()
              + "' does not exist at "
              + arguments.where()
              + " (add --create-stream "
              + "--shards N to create it)");
    } catch (SdkException e) {
      client.close();
      throw new KinesisReplayException(
          "cannot reach stream '"
              + arguments.stream()
              + "' at "
              + arguments.where()
              + ": "
              + e.getMessage(),
          e);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * A client for the arguments' endpoint and region. The JSON protocol is used instead of CBOR (the
   * SDK's default for Kinesis), unless {@code aws.cborEnabled} is set: the real service accepts
   * both, and local servers such as kinesalite answer GetRecords in a form the SDK's CBOR reader
   * cannot read.
   */
  static KinesisClient client(KinesisArguments arguments) {
    if (System.getProperty("aws.cborEnabled") == null) {
      System.setProperty("aws.cborEnabled", "false");
    }
    KinesisClientBuilder builder =
        KinesisClient.builder().httpClientBuilder(ApacheHttpClient.builder());
    arguments.endpoint().ifPresent(builder::endpointOverride);
    builder.region(region(arguments.region().orElse(null), arguments.endpoint().orElse(null)));
    return builder.build();
  }

  /**
   * The given region, else the SDK's chain; with an endpoint and no region anywhere, us-east-1 (for
   * signing).
   */
  static Region region(String region, URI endpoint) {
    if (region != null) {
      return Region.of(region);
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkException e) {
      if (endpoint != null) {
        return Region.US_EAST_1;
      }
      throw e;
    }
  }

  private static void awaitActive(KinesisClient client, KinesisArguments arguments)
      throws IOException {
    long deadline = System.nanoTime() + arguments.timeoutSeconds() * 1_000_000_000L;
    while (true) {
      StreamStatus status =
          client
              .describeStreamSummary(b -> b.streamName(arguments.stream()))
              .streamDescriptionSummary()
              .streamStatus();
      if (status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new KinesisReplayException(
            "stream '"
                + arguments.stream()
                + "' is "
                + status
                + ", not ACTIVE, after "
                + arguments.timeoutSeconds()
                + " s");
      }
      pause(200);
    }
  }

  /** The stream's open shards (no ending sequence number), by starting hash key. */
  static List<Shard> openShards(KinesisClient client, String stream) {
    List<Shard> shards = new ArrayList<>();
    String next = null;
    do {
      ListShardsRequest request =
          next == null
              ? ListShardsRequest.builder().streamName(stream).build()
              : ListShardsRequest.builder().nextToken(next).build();
      ListShardsResponse response = client.listShards(request);
      shards.addAll(response.shards());
      next = response.nextToken();
    } while (next != null);
    return shards.stream()
        .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
        .sorted(
            Comparator.comparing(s -> new java.math.BigInteger(s.hashKeyRange().startingHashKey())))
        .toList();
  }

  @Override
  public int partitionCount() {
    return openShards.size();
  }

  @Override
  public void send(byte[] key, byte[] value) throws IOException {
    String partitionKey =
        arguments.partitionKeys() == KinesisArguments.PartitionKeys.TRIP_ID && key != null
            ? new String(key, StandardCharsets.UTF_8)
            : Long.toHexString(ThreadLocalRandom.current().nextLong());
    add(
        PutRecordsRequestEntry.builder()
            .partitionKey(partitionKey)
            .data(SdkBytes.fromByteArray(value))
            .build());
  }

  @Override
  public void sendToPartition(int partition, byte[] value) throws IOException {
    add(
        PutRecordsRequestEntry.builder()
            .partitionKey("watermark")
            .explicitHashKey(openShards.get(partition).hashKeyRange().startingHashKey())
            .data(SdkBytes.fromByteArray(value))
            .build());
  }

  private void add(PutRecordsRequestEntry entry) throws IOException {
    long size = size(entry);
    if (size > MAX_RECORD_BYTES) {
      throw new KinesisReplayException(
          "a record of "
              + size
              + " bytes (data and partition key) is over Kinesis's limit of "
              + MAX_RECORD_BYTES);
    }
    if (batch.size() == MAX_BATCH_RECORDS || batchBytes + size > MAX_BATCH_BYTES) {
      sendBatch();
    }
    batch.add(entry);
    batchBytes += size;
  }

  private static long size(PutRecordsRequestEntry entry) {
    return entry.data().asByteArrayUnsafe().length
        + entry.partitionKey().getBytes(StandardCharsets.UTF_8).length;
  }

  @Override
  public void flush() throws IOException {
    if (!batch.isEmpty()) {
      sendBatch();
    }
  }

  /** Entries sent again after a batch reported them failed. */
  long retriedEntries() {
    return retriedEntries;
  }

  /** PutRecords requests made, retries included. */
  long requests() {
    return requests;
  }

  /**
   * Sends the batch; retries the failed entries only, with backoff, until the timeout passes
   * without progress.
   */
  private void sendBatch() throws IOException {
    List<PutRecordsRequestEntry> pending = new ArrayList<>(batch);
    batch.clear();
    batchBytes = 0;
    long backoff = FIRST_BACKOFF_MILLIS;
    long deadline = System.nanoTime() + arguments.timeoutSeconds() * 1_000_000_000L;
    String lastError = null;
    while (!pending.isEmpty()) {
      List<PutRecordsRequestEntry> failed = new ArrayList<>();
      try {
        requests++;
        List<PutRecordsRequestEntry> sent = pending;
        PutRecordsResponse response =
            client.putRecords(b -> b.streamName(arguments.stream()).records(sent));
        List<PutRecordsResultEntry> results = response.records();
        for (int i = 0; i < results.size(); i++) {
          if (results.get(i).errorCode() != null) {
            failed.add(pending.get(i));
            lastError = results.get(i).errorCode() + ": " + results.get(i).errorMessage();
          }
        }
      } catch (ResourceNotFoundException e) {
        throw new KinesisReplayException(
            "stream '" + arguments.stream() + "' no longer exists at " + arguments.where());
      } catch (SdkException e) {
        if (!e.retryable()) {
          throw new KinesisReplayException(
              "PutRecords to stream '"
                  + arguments.stream()
                  + "' at "
                  + arguments.where()
                  + " failed: "
                  + e.getMessage(),
              e);
        }
        failed = pending;
        lastError = e.getMessage();
      }
      if (failed.size() < pending.size()) {
        backoff = FIRST_BACKOFF_MILLIS;
        deadline = System.nanoTime() + arguments.timeoutSeconds() * 1_000_000_000L;
      }
      if (failed.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new KinesisReplayException(
            String.format(
                Locale.ROOT,
                "%d records could not be stored in stream '%s' within %d s of retries; last error: %s",
                failed.size(),
                arguments.stream(),
                arguments.timeoutSeconds(),
                lastError));
      }
      retriedEntries += failed.size();
      pause(backoff);
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      pending = failed;
    }
  }

  private static void pause(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for Kinesis");
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
