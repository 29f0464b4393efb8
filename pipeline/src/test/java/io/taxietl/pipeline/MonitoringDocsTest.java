package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.testing.ScriptedServer;
import io.taxietl.transforms.metrics.EtlMetrics;
import io.taxietl.transforms.parse.RejectionReason;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CloudWatch dashboard of {@code docs/cloudwatch-dashboard.json} is valid JSON, every pipeline
 * metric it shows is one the pipeline emits, and every service metric it shows is one the
 * monitoring guide names (a typo in either would leave a widget silently empty).
 */
class MonitoringDocsTest {
  private static final Path DOCS = ScriptedServer.repoRoot().resolve("docs");
  private static final String PIPELINE_PREFIX = "etl.";

  /**
   * The services' own metrics the dashboard uses, by namespace (documented in docs/monitoring.md).
   */
  private static final Map<String, Set<String>> SERVICE_METRICS =
      Map.of(
          "AWS/KinesisAnalytics",
          Set.of(
              "uptime",
              "downtime",
              "fullRestarts",
              "numberOfFailedCheckpoints",
              "lastCheckpointDuration",
              "lastCheckpointSize",
              "cpuUtilization",
              "heapMemoryUtilization",
              "KPUs",
              "numRecordsInPerSecond",
              "numRecordsOutPerSecond"),
          "AWS/Kinesis",
          Set.of("GetRecords.IteratorAgeMilliseconds", "IncomingRecords"),
          "AWS/Kafka",
          Set.of("EstimatedMaxTimeLag", "SumOffsetLag", "MaxOffsetLag"),
          "AWS/S3",
          Set.of("PutRequests", "4xxErrors"),
          "AWS/ES",
          Set.of("ThreadpoolWriteRejected"));

  @Test
  void everyMetricOnTheDashboardIsOneWeEmitOrAServiceMetricTheGuideNames() throws Exception {
    JsonNode dashboard =
        new ObjectMapper().readTree(DOCS.resolve("cloudwatch-dashboard.json").toFile());
    String guide = Files.readString(DOCS.resolve("monitoring.md"), StandardCharsets.UTF_8);
    Set<String> emitted = emittedMetricNames();
    List<String> pipelineMetrics = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (JsonNode widget : dashboard.path("widgets")) {
      for (JsonNode metric : widget.path("properties").path("metrics")) {
        if (!metric.isArray() || !metric.get(0).isTextual()) {
          continue; // a metric-math expression
        }
        String namespace = metric.get(0).asText();
        String name = metric.get(1).asText();
        if (name.startsWith(PIPELINE_PREFIX)) {
          pipelineMetrics.add(name);
          if (!namespace.equals("AWS/KinesisAnalytics")
              || !emitted.contains(name.substring(PIPELINE_PREFIX.length()))) {
            unknown.add(namespace + " " + name);
          }
        } else if (!SERVICE_METRICS.getOrDefault(namespace, Set.of()).contains(name)
            || !guide.contains(name)) {
          unknown.add(namespace + " " + name);
        }
      }
    }
    assertThat(unknown)
        .as("metrics on the dashboard that nothing emits or the guide does not name")
        .isEmpty();
    assertThat(pipelineMetrics)
        .contains(
            "etl.kafka_consumer_lag",
            "etl.dead_letters",
            "etl.events_read",
            "etl.elasticsearch_documents_rejected",
            "etl.parquet_files_committed");
  }

  /**
   * Every counter and gauge name the pipeline emits (per-partition and per-shard names by their
   * prefix only).
   */
  private static Set<String> emittedMetricNames() throws IllegalAccessException {
    Set<String> names = new TreeSet<>();
    for (Field field : EtlMetrics.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        String value = (String) field.get(null);
        if (!value.endsWith(".") && !value.equals(EtlMetrics.NAMESPACE)) {
          names.add(value);
        }
      }
    }
    for (RejectionReason reason : RejectionReason.values()) {
      names.add(EtlMetrics.deadLetterCounterName(reason.stage(), reason.name()));
    }
    names.add(EtlMetrics.eventsReadCounterName("kafka"));
    names.add(EtlMetrics.eventsReadCounterName("file"));
    names.add(EtlMetrics.eventsReadCounterName("kinesis"));
    return names;
  }
}
