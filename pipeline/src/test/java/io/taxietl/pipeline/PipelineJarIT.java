package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.JarLinkage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The pipeline JAR built by {@code mvn package} runs Flink and the DirectRunner, carries MSK IAM
 * authentication, and carries no Spark.
 */
class PipelineJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));

  @Test
  void flinkAndTheDirectRunnerAreInsideAndSparkIsNot() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .as("Spark and Beam's Spark runner (the Spark JAR has them)")
          .noneMatch(
              name ->
                  name.startsWith("org/apache/spark/")
                      || name.startsWith("org/apache/beam/runners/spark/"));
      assertThat(names)
          .contains(
              "io/taxietl/pipeline/StreamingEtlMain.class",
              "org/apache/beam/runners/flink/FlinkRunner.class",
              "org/apache/beam/runners/direct/DirectRunner.class",
              "org/apache/flink/runtime/minicluster/MiniCluster.class");
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(StreamingEtlMain.class.getName());
    }
  }

  /**
   * {@code sasl.mechanism=AWS_MSK_IAM} names the library's classes in client properties: they must
   * be in the JAR, load from it, and find every AWS SDK method they call in the SDK the JAR bundles
   * (aws-msk-iam-auth 2.2+ calls a method that the SDK 2.20.47 of Beam 2.62 lacks).
   */
  @Test
  void mskIamAuthenticationLoadsAndFindsEveryMethodItCallsInTheBundledAwsSdk() throws IOException {
    JarLinkage.Report report = JarLinkage.requireLinked(JAR, "software/amazon/msk/", 20);
    assertThat(report.references()).as("references checked").isGreaterThan(300);
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(jar.getEntry("software/amazon/msk/auth/iam/IAMLoginModule.class")).isNotNull();
      assertThat(jar.getEntry("software/amazon/msk/auth/iam/IAMClientCallbackHandler.class"))
          .isNotNull();
    }
  }
}
