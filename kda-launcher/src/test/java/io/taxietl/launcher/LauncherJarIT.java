package io.taxietl.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.JarLinkage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The launcher JAR built by {@code mvn package} leaves out what every Flink runtime provides and
 * keeps everything the job needs.
 */
class LauncherJarIT {
  private static final Path JAR =
      Path.of(System.getProperty("launcher.jar", "target/taxi-etl-kda.jar"));

  /** Class-file major version of Java 11, the JVM of the managed service's Flink 1.x runtimes. */
  private static final int JAVA_11 = 55;

  /**
   * The managed service's Flink 1.19 and 1.20 runtimes run Java 11: one class compiled for a newer
   * JVM (ours, or a library's after an upgrade) fails the launch with {@code
   * UnsupportedClassVersionError}. Classes below {@code META-INF/versions/N/} are loaded only by a
   * Java N+ JVM and are left out.
   */
  @Test
  void everyClassRunsOnJava11() throws IOException {
    Map<String, Integer> tooNew = new TreeMap<>();
    int classes = 0;
    int ours = 0;
    try (JarFile jar = new JarFile(JAR.toFile())) {
      for (ZipEntry entry : jar.stream().toList()) {
        String name = entry.getName();
        if (!name.endsWith(".class") || name.startsWith("META-INF/versions/")) {
          continue;
        }
        classes++;
        ours += name.startsWith("io/taxietl/") ? 1 : 0;
        int major = majorVersion(jar.getInputStream(entry));
        if (major > JAVA_11) {
          tooNew.put(name, major);
        }
      }
    }
    assertThat(ours).as("classes of this project in the JAR").isGreaterThan(50);
    assertThat(classes).as("classes in the JAR").isGreaterThan(10_000);
    assertThat(tooNew)
        .as("classes newer than Java 11 (major version %d): name -> major version", JAVA_11)
        .isEmpty();
  }

  private static int majorVersion(InputStream classFile) throws IOException {
    try (DataInputStream in = new DataInputStream(classFile)) {
      assertThat(in.readInt()).as("class file magic").isEqualTo(0xCAFEBABE);
      in.readUnsignedShort();
      return in.readUnsignedShort();
    }
  }

  @Test
  void flinkAndLoggingBindingsAreLeftOutAndBeamsFlinkRunnerIsKept() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();

      assertThat(names)
          .as("Flink's own classes (the runtime provides them)")
          .noneMatch(name -> name.startsWith("org/apache/flink/"));
      assertThat(names)
          .as("Spark and Beam's Spark runner (the Spark JAR has them)")
          .noneMatch(
              name ->
                  name.startsWith("org/apache/spark/")
                      || name.startsWith("org/apache/beam/runners/spark/"));
      assertThat(names)
          .as("Kryo, which Flink loads from its own classpath")
          .noneMatch(name -> name.startsWith("com/esotericsoftware/"));
      assertThat(names)
          .as("SLF4J bindings and logging backends (the runtime logs through its log4j)")
          .noneMatch(
              name ->
                  name.startsWith("org/slf4j/simple/")
                      || name.startsWith("org/slf4j/impl/")
                      || name.startsWith("org/apache/logging/log4j/")
                      || name.startsWith("ch/qos/")
                      || name.equals("META-INF/services/org.slf4j.spi.SLF4JServiceProvider")
                      || name.equals("log4j.properties"));

      assertThat(names)
          .contains(
              "io/taxietl/launcher/KdaLauncher.class",
              "io/taxietl/pipeline/StreamingEtlPipeline.class",
              "io/taxietl/transforms/parse/ParseTripEvents.class",
              "org/apache/beam/runners/flink/FlinkRunner.class",
              "org/apache/beam/sdk/io/parquet/ParquetIO.class",
              "org/apache/parquet/hadoop/ParquetWriter.class",
              "org/apache/hadoop/conf/Configuration.class",
              "com/amazonaws/services/kinesisanalytics/runtime/KinesisAnalyticsRuntime.class",
              "META-INF/services/org.apache.beam.sdk.runners.PipelineRunnerRegistrar",
              "META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar");
      assertThat(names)
          .as("the JAR has no SLF4J binding of its own")
          .doesNotContain("org/slf4j/impl/StaticLoggerBinder.class");
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo(KdaLauncher.class.getName());
    }
  }

  @Test
  void theKinesisSourceAndTheS3FileSystemAreKeptWithTheirServiceEntriesMerged() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      List<String> names = jar.stream().map(ZipEntry::getName).toList();
      assertThat(names)
          .contains(
              "org/apache/beam/sdk/io/aws2/kinesis/KinesisIO.class",
              "org/apache/beam/sdk/io/aws2/s3/S3FileSystem.class",
              "io/taxietl/transforms/io/kinesis/ReadKinesisEvents.class",
              "io/taxietl/pipeline/S3ClientSettings.class");
      ZipEntry registrars =
          jar.getEntry("META-INF/services/org.apache.beam.sdk.io.FileSystemRegistrar");
      assertThat(registrars).as("the file system registrars' service file").isNotNull();
      String services =
          new String(jar.getInputStream(registrars).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(services.lines().map(String::strip).toList())
          .as("every file system's registrar, merged from all jars")
          .contains(
              "org.apache.beam.sdk.io.aws2.s3.S3FileSystemRegistrar",
              "org.apache.beam.sdk.io.LocalFileSystemRegistrar");
      ZipEntry optionRegistrars =
          jar.getEntry("META-INF/services/org.apache.beam.sdk.options.PipelineOptionsRegistrar");
      assertThat(
              new String(
                  jar.getInputStream(optionRegistrars).readAllBytes(), StandardCharsets.UTF_8))
          .as("Beam's AWS options (S3Options: the client factory the pipeline sets)")
          .contains("org.apache.beam.sdk.io.aws2.options.AwsPipelineOptionsRegistrar");
    }
  }

  /**
   * MSK IAM authentication ({@code sasl.mechanism=AWS_MSK_IAM}): the library's classes load from
   * the JAR and every AWS SDK method they call exists in the SDK the JAR bundles. The library's own
   * bytecode is checked for Java 11 by {@link #everyClassRunsOnJava11} (2.3.5 and later are Java 17
   * bytecode).
   */
  @Test
  void mskIamAuthenticationLoadsAndFindsEveryMethodItCallsInTheBundledAwsSdk() throws IOException {
    JarLinkage.Report report = JarLinkage.requireLinked(JAR, "software/amazon/msk/", 20);
    assertThat(report.references()).as("references checked").isGreaterThan(300);
  }
}
