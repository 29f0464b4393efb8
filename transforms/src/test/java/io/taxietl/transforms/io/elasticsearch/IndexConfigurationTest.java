package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/** The transform's configuration: defaults, refused values and secrets kept out of sight. */
class IndexConfigurationTest {
  private static final String SECRET = "s3cr3t-Pa55";
  private static final List<String> ENDPOINTS = List.of("https://es.example:9200");

  @Test
  void startsFromTheDocumentedDefaults() {
    IndexConfiguration defaults = IndexConfiguration.defaults(ENDPOINTS);
    assertThat(defaults.indexTemplate().template()).isEqualTo("{type}");
    assertThat(defaults.bulkFlushMaxActions()).isEqualTo(1000);
    assertThat(defaults.bulkFlushMaxSizeBytes()).isEqualTo(5L * 1024 * 1024);
    assertThat(defaults.bulkFlushInterval()).isNull();
    assertThat(defaults.retrySchedule().retries()).isEqualTo(8);
    assertThat(defaults.retrySchedule().totalWait()).isEqualTo(Duration.standardMinutes(2));
    assertThat(defaults.authentication()).isEqualTo("none");
  }

  @Test
  void eachSettingChangesOnlyItself() {
    IndexToElasticsearch index =
        IndexToElasticsearch.to(ENDPOINTS)
            .withBulkFlushMaxActions(10)
            .withBulkFlushMaxSizeBytes(2048)
            .withIndexTemplate(IndexNameTemplate.parse("trips-{type}"));
    assertThat(DisplayData.from(index).toString())
        .contains("bulkFlushMaxActions=10", "bulkFlushMaxSizeBytes=2048", "trips-{type}")
        .contains("authentication=none");
  }

  @Test
  void refusesBadValuesWhereTheyAreSet() {
    IndexToElasticsearch index = IndexToElasticsearch.to(ENDPOINTS);
    assertThatThrownBy(() -> IndexToElasticsearch.to(List.of()))
        .hasMessage("endpoints can not be null or empty");
    assertThatThrownBy(() -> IndexToElasticsearch.to(List.of("es.example:9200")))
        .hasMessage("an endpoint must be an http:// or https:// URL");
    assertThatThrownBy(() -> index.withBulkFlushMaxActions(0))
        .hasMessage("bulk flush max actions must be at least 1, was 0");
    assertThatThrownBy(() -> index.withBulkFlushMaxSizeBytes(0))
        .hasMessage("bulk flush max size must be at least 1 byte, was 0");
    assertThatThrownBy(() -> index.withBulkFlushInterval(Duration.ZERO))
        .hasMessage("bulk flush interval must be positive, was PT0S");
    assertThatThrownBy(() -> index.withBasicAuth("user", ""))
        .hasMessage("basic auth needs a non-empty username and password");
    assertThatThrownBy(() -> index.withApiKey("key").withBasicAuth("user", SECRET))
        .hasMessage("basic auth can not be combined with an API key");
    assertThatThrownBy(() -> index.withBasicAuth("user", SECRET).withApiKey("key"))
        .hasMessage("an API key can not be combined with basic auth");
    assertThatThrownBy(() -> index.withTrustStore("", null))
        .hasMessage("the trust store path can not be null or empty");
  }

  @Test
  void secretsAppearInNeitherDisplayDataNorToString() {
    IndexToElasticsearch basic =
        IndexToElasticsearch.to(ENDPOINTS)
            .withBasicAuth("user", SECRET)
            .withTrustStore("/etc/es/trust.p12", SECRET);
    IndexToElasticsearch apiKey = IndexToElasticsearch.to(ENDPOINTS).withApiKey(SECRET);
    assertThat(DisplayData.from(basic).toString())
        .contains("authentication=basic")
        .doesNotContain(SECRET);
    assertThat(DisplayData.from(apiKey).toString())
        .contains("authentication=api key")
        .doesNotContain(SECRET);
    IndexConfiguration configuration =
        IndexConfiguration.defaults(ENDPOINTS).toBuilder()
            .setUsername("user")
            .setPassword(SECRET)
            .setTrustStorePassword(SECRET)
            .build();
    assertThat(configuration.toString()).contains("authentication=basic").doesNotContain(SECRET);
  }
}
