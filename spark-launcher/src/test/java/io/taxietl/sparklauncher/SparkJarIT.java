package io.taxietl.sparklauncher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The Spark JAR built by {@code mvn package} holds Spark and Beam's Spark runner, and nothing of
 * Flink; its manifest opens the JDK packages Spark needs on Java 17.
 */
class SparkJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("spark.jar", "target/taxi-etl-spark.jar"));

  @Test
  void sparkAndBeamsSparkRunnerAreInsideAndFlinkIsNot() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .as("Flink's classes")
          .noneMatch(name -> name.startsWith("org/apache/flink/"));
      assertThat(names)
          .as("Beam's Flink runner")
          .noneMatch(name -> name.startsWith("org/apache/beam/runners/flink/"));
      assertThat(names)
          .as("the DirectRunner (the pipeline JAR has it)")
          .noneMatch(name -> name.startsWith("org/apache/beam/runners/direct/"));
      assertThat(names)
          .contains(
              "io/taxietl/sparklauncher/SparkEtlMain.class",
              "io/taxietl/pipeline/StreamingEtlPipeline.class",
              "io/taxietl/transforms/io/file/PublishCommittedFiles.class",
              "org/apache/beam/runners/spark/SparkRunner.class",
              "org/apache/spark/SparkContext.class",
              "org/apache/spark/streaming/StreamingContext.class",
              "org/apache/beam/sdk/io/parquet/ParquetIO.class",
              "org/apache/beam/sdk/io/kafka/KafkaIO.class",
              "org/apache/hadoop/conf/Configuration.class");
      assertThat(names)
          .as("one Hadoop: the pipeline's, not Spark's shaded client as well")
          .noneMatch(name -> name.startsWith("org/apache/hadoop/shaded/"));
    }
  }

  @Test
  void theRunnerAndOptionRegistrarsOfSparkAndTheIosAreMerged() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      assertThat(service(jar, "org.apache.beam.sdk.runners.PipelineRunnerRegistrar"))
          .contains("org.apache.beam.runners.spark.SparkRunnerRegistrar$Runner")
          .doesNotContain("org.apache.beam.runners.flink.FlinkRunnerRegistrar$Runner");
      assertThat(service(jar, "org.apache.beam.sdk.options.PipelineOptionsRegistrar"))
          .contains(
              "org.apache.beam.runners.spark.SparkRunnerRegistrar$Options",
              "org.apache.beam.sdk.io.aws2.options.AwsPipelineOptionsRegistrar");
      assertThat(service(jar, "org.apache.beam.sdk.io.FileSystemRegistrar"))
          .contains(
              "org.apache.beam.sdk.io.aws2.s3.S3FileSystemRegistrar",
              "org.apache.beam.sdk.io.LocalFileSystemRegistrar");
    }
  }

  @Test
  void theManifestStartsTheSparkMainAndOpensWhatSparkNeedsOnJava17() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      Attributes manifest = jar.getManifest().getMainAttributes();
      assertThat(manifest.getValue("Main-Class")).isEqualTo(SparkEtlMain.class.getName());
      assertThat(Arrays.asList(manifest.getValue("Add-Opens").split(" ")))
          .as("Spark's JavaModuleOptions (Spark 3.5)")
          .containsExactlyInAnyOrder(
              "java.base/java.lang",
              "java.base/java.lang.invoke",
              "java.base/java.lang.reflect",
              "java.base/java.io",
              "java.base/java.net",
              "java.base/java.nio",
              "java.base/java.util",
              "java.base/java.util.concurrent",
              "java.base/java.util.concurrent.atomic",
              "java.base/jdk.internal.ref",
              "java.base/sun.nio.ch",
              "java.base/sun.nio.cs",
              "java.base/sun.security.action",
              "java.base/sun.util.calendar",
              "java.security.jgss/sun.security.krb5");
    }
  }

  private static List<String> service(JarFile jar, String name) throws IOException {
    ZipEntry entry = jar.getEntry("META-INF/services/" + name);
    assertThat(entry).as("service file %s", name).isNotNull();
    return new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8)
        .lines()
        .map(String::strip)
        .toList();
  }
}
