package io.taxietl.launcher;

import io.taxietl.testing.LocalFlinkCluster;
import io.taxietl.testing.LocalKafka;
import io.taxietl.testing.LocalKinesis;
import io.taxietl.testing.LocalS3;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The servers the cluster tests share, started once for every test class that registers this
 * extension and stopped when the whole test run ends: a real Flink 1.19.3 session cluster (one
 * TaskManager with 2 slots) that configures checkpointing every {@value
 * #CHECKPOINT_INTERVAL_MILLIS} ms for every job and restarts a failed job from its last checkpoint,
 * as the managed service does; a Kafka broker, a Kinesis server (kinesalite) and an S3 server
 * (S3Mock) with the bucket {@value ClusterJobs#BUCKET}. The cluster's JVMs get what the local runs
 * get: the AWS SDK's CBOR switch for kinesalite and placeholder credentials in the environment.
 */
final class ClusterServers implements BeforeAllCallback, AfterEachCallback {
  static final long CHECKPOINT_INTERVAL_MILLIS = 3000;
  static final Duration RESTART_DELAY = Duration.ofSeconds(2);
  static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(2);

  static final LocalKafka KAFKA = new LocalKafka();
  static final LocalKinesis KINESIS = new LocalKinesis();
  static final LocalS3 S3 = new LocalS3();
  static final LocalFlinkCluster CLUSTER =
      new LocalFlinkCluster(
              2,
              CHECKPOINT_INTERVAL_MILLIS,
              Map.of(
                  "FLINK_JAVA_OPTS", "-Daws.cborEnabled=false",
                  "AWS_ACCESS_KEY_ID", "local",
                  "AWS_SECRET_ACCESS_KEY", "local",
                  "AWS_REGION", LocalKinesis.REGION))
          .restartingFailedJobs(RESTART_DELAY, HEARTBEAT_INTERVAL);

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ClusterServers.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "servers", key -> start(), ExtensionContext.Store.CloseableResource.class);
  }

  /** A test that failed with its job still running must not leave the next without slots. */
  @Override
  public void afterEach(ExtensionContext context) {
    CLUSTER.cancelUnfinishedJobs(Duration.ofMinutes(1));
  }

  private static ExtensionContext.Store.CloseableResource start() {
    KAFKA.start();
    KINESIS.start();
    S3.start();
    CLUSTER.start();
    S3.createBucket(ClusterJobs.BUCKET);
    LocalKinesis.useLocalCredentials();
    return () -> {
      CLUSTER.close();
      S3.close();
      KINESIS.close();
      KAFKA.close();
    };
  }
}
