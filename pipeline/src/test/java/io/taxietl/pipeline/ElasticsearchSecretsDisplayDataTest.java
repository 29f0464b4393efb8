package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Elasticsearch password, API key and trust-store password given in clear are in nothing a
 * runner shows: not in the serialised options, their display data or any step's display data.
 */
class ElasticsearchSecretsDisplayDataTest {
  private static final String SECRET = "es-secret-in-clear-41c7";

  @TempDir Path folder;

  @Test
  void secretsInClearAreInNoDisplayDataNorInTheSerialisedOptions() throws Exception {
    Path input = Files.writeString(folder.resolve("events.jsonl"), "{}\n");
    Path trustStore = Files.writeString(folder.resolve("truststore.p12"), "not read here");
    String basicAuth =
        PipelineDisplayData.of(
            List.of(
                "--inputPath=" + input,
                "--outputPath=" + folder.resolve("trips"),
                "--deadLetterPath=" + folder.resolve("dead-letters"),
                "--outputElasticsearchEndpoint=https://127.0.0.1:9",
                "--elasticsearchUsername=etl-writer",
                "--elasticsearchPassword=" + SECRET,
                "--elasticsearchTrustStorePath=" + trustStore,
                "--elasticsearchTrustStorePassword=" + SECRET + "-store"));
    String apiKey =
        PipelineDisplayData.of(
            List.of(
                "--inputPath=" + input,
                "--outputPath=" + folder.resolve("trips2"),
                "--deadLetterPath=" + folder.resolve("dead-letters2"),
                "--outputElasticsearchEndpoint=https://127.0.0.1:9",
                "--elasticsearchApiKey=" + SECRET + "-key"));

    assertThat(basicAuth).contains("127.0.0.1:9").contains("etl-writer").doesNotContain(SECRET);
    assertThat(apiKey).contains("127.0.0.1:9").doesNotContain(SECRET);
  }
}
