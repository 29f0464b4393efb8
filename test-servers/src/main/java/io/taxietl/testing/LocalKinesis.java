package io.taxietl.testing;

import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A real Kinesis Data Streams API server (kinesalite 3.3.3, streams in memory), started by {@code
 * scripts/kinesis.sh} on 127.0.0.1 and a free port, stopped with its process group. Register it
 * with {@code @RegisterExtension static final LocalKinesis KINESIS = new LocalKinesis();} or use
 * try-with-resources.
 *
 * <p>Creating one turns the AWS SDK's CBOR protocol off for this JVM ({@code
 * aws.cborEnabled=false}): kinesalite answers GetRecords in a form the SDK's CBOR reader cannot
 * read. The helpers' own client uses placeholder credentials (kinesalite checks none); a pipeline
 * under test finds its credentials through the default chain, which {@link #useLocalCredentials()}
 * points at placeholders too.
 */
public final class LocalKinesis extends ScriptedServer {
  public static final String REGION = "us-east-1";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  public LocalKinesis() {
    super("kinesis.sh");
    System.setProperty("aws.cborEnabled", "false");
  }

  /**
   * Placeholder credentials and region for the SDK's default chains of this JVM (system
   * properties).
   */
  public static void useLocalCredentials() {
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
    System.setProperty("aws.region", REGION);
  }

  /** The endpoint URL: {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port();
  }

  /** A new client for this server; the caller closes it. */
  public KinesisClient client() {
    return KinesisClient.builder()
        .httpClientBuilder(ApacheHttpClient.builder())
        .endpointOverride(URI.create(endpoint()))
        .region(Region.of(REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  /**
   * Creates a stream through {@code scripts/kinesis.sh create-stream}; returns once it is ACTIVE.
   */
  public void createStream(String name, int shards) {
    runScript(
        List.of(
            "create-stream",
            name,
            Integer.toString(shards),
            "--dir",
            dataDir().toString(),
            "--port",
            Integer.toString(port())));
  }

  /** Every shard of a stream, open or closed, by shard id. */
  public List<Shard> shards(String stream) {
    try (KinesisClient client = client()) {
      List<Shard> shards = new ArrayList<>();
      String next = null;
      do {
        ListShardsResponse response =
            client.listShards(
                next == null
                    ? ListShardsRequest.builder().streamName(stream).build()
                    : ListShardsRequest.builder().nextToken(next).build());
        shards.addAll(response.shards());
        next = response.nextToken();
      } while (next != null);
      shards.sort(Comparator.comparing(Shard::shardId));
      return shards;
    }
  }

  /** The open shards of a stream (no ending sequence number). */
  public List<Shard> openShards(String stream) {
    return shards(stream).stream()
        .filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
        .toList();
  }

  /**
   * Splits an open shard in the middle of its hash key range; returns once the stream is ACTIVE
   * again with the parent closed and its two children open.
   */
  public void splitShard(String stream, String shardId) {
    Shard parent =
        openShards(stream).stream()
            .filter(s -> s.shardId().equals(shardId))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no open shard " + shardId + " in " + stream));
    BigInteger start = new BigInteger(parent.hashKeyRange().startingHashKey());
    BigInteger end = new BigInteger(parent.hashKeyRange().endingHashKey());
    String middle = start.add(end).shiftRight(1).toString();
    try (KinesisClient client = client()) {
      client.splitShard(b -> b.streamName(stream).shardToSplit(shardId).newStartingHashKey(middle));
      Await.until(
          () ->
              client
                          .describeStreamSummary(b -> b.streamName(stream))
                          .streamDescriptionSummary()
                          .streamStatus()
                      == StreamStatus.ACTIVE
                  && shards(stream).stream().filter(s -> shardId.equals(s.parentShardId())).count()
                      == 2,
          TIMEOUT,
          "shard " + shardId + " of " + stream + " split in two");
    }
  }
}
