package io.taxietl.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The yardstick of the Kinesis path: reads a stream from its oldest record with nothing but the AWS
 * SDK v2 (the same SDK and HTTP client that Beam's KinesisIO uses): one thread per shard, each
 * calling GetRecords on its shard iterator until it has read its share, as fast as the server
 * answers. Stops when {@code --expect} records have been read in total.
 *
 * <p>Arguments: {@code --endpoint http://127.0.0.1:4567 --stream NAME --expect N [--limit 10000]}
 * (the SDK's system property {@code aws.cborEnabled=false} is needed for kinesalite). Prints one
 * line: records, seconds, records/s, GetRecords calls.
 */
public final class KinesisGetRecordsReader {
  private KinesisGetRecordsReader() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Arguments.parse(args);
    String stream = a.get("stream");
    long expected = Long.parseLong(a.get("expect"));
    int limit = Integer.parseInt(a.getOrDefault("limit", "10000"));
    try (KinesisClient kinesis =
        KinesisClient.builder()
            .httpClientBuilder(ApacheHttpClient.builder())
            .endpointOverride(URI.create(a.get("endpoint")))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build()) {
      List<Shard> shards =
          kinesis.listShards(ListShardsRequest.builder().streamName(stream).build()).shards();
      AtomicLong read = new AtomicLong();
      AtomicLong calls = new AtomicLong();
      ExecutorService pool = Executors.newFixedThreadPool(shards.size());
      long start = System.nanoTime();
      try {
        List<Future<?>> readers = new ArrayList<>();
        for (Shard shard : shards) {
          readers.add(
              pool.submit(
                  () -> {
                    readShard(kinesis, stream, shard, limit, expected, read, calls);
                    return null;
                  }));
        }
        for (Future<?> reader : readers) {
          reader.get();
        }
      } finally {
        pool.shutdownNow();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "plain GetRecords reader: %,d records in %.1f s: %,.0f records/s (%d shards, %,d GetRecords"
              + " calls of up to %,d; client CPU %.1f s)%n",
          read.get(),
          seconds,
          read.get() / seconds,
          shards.size(),
          calls.get(),
          limit,
          ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                  .getProcessCpuTime()
              / 1e9);
    }
  }

  /** Reads {@code shard} to its end, or until the total read reaches {@code expected}. */
  private static void readShard(
      KinesisClient kinesis,
      String stream,
      Shard shard,
      int limit,
      long expected,
      AtomicLong read,
      AtomicLong calls) {
    String iterator =
        kinesis
            .getShardIterator(
                GetShardIteratorRequest.builder()
                    .streamName(stream)
                    .shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)
                    .build())
            .shardIterator();
    while (iterator != null && read.get() < expected) {
      GetRecordsResponse response =
          kinesis.getRecords(
              GetRecordsRequest.builder().shardIterator(iterator).limit(limit).build());
      calls.incrementAndGet();
      read.addAndGet(response.records().size());
      if (response.records().isEmpty() && Long.valueOf(0).equals(response.millisBehindLatest())) {
        return; // this shard is read to its end; the stream was loaded before the read
      }
      iterator = response.nextShardIterator();
    }
  }
}
