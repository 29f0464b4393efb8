package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.pipeline.validation.OptionsValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Elasticsearch sink's options: the validator's rules for them and how secrets are kept out of
 * sight.
 */
class ElasticsearchOptionsTest {
  private static final String SECRET = "s3cr3t-Pa55";

  @TempDir Path folder;
  private Path input;

  @BeforeEach
  void createInput() throws IOException {
    input = Files.writeString(folder.resolve("events.jsonl"), "{}\n");
  }

  private StreamingEtlOptions options(String... elasticsearchArgs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--inputPath=" + input,
                "--outputPath=" + folder.resolve("trips"),
                "--deadLetterPath=" + folder.resolve("dead")));
    args.addAll(List.of(elasticsearchArgs));
    PipelineOptionsFactory.register(StreamingEtlOptions.class);
    return PipelineOptionsFactory.fromArgs(args.toArray(String[]::new))
        .as(StreamingEtlOptions.class);
  }

  private List<String> problems(String... elasticsearchArgs) {
    return OptionsValidator.validate(options(elasticsearchArgs));
  }

  @Test
  void acceptsOneOrSeveralEndpointsWithTheDefaults() {
    assertThat(problems("--outputElasticsearchEndpoint=http://127.0.0.1:9200")).isEmpty();
    StreamingEtlOptions options =
        options("--outputElasticsearchEndpoint=https://a.example:9200,https://b.example");
    assertThat(options.getOutputElasticsearchEndpoint())
        .containsExactly("https://a.example:9200", "https://b.example");
    assertThat(OptionsValidator.validate(options)).isEmpty();
    assertThat(ElasticsearchSink.enabled(options)).isTrue();
    assertThat(ElasticsearchSink.enabled(options())).isFalse();
    assertThat(ElasticsearchSink.retrySchedule(options).retries()).isEqualTo(8);
    assertThat(ElasticsearchSink.retrySchedule(options).totalWait().getStandardSeconds())
        .isEqualTo(120);
  }

  @Test
  void namesEachBadEndpoint() {
    assertThat(
            problems("--outputElasticsearchEndpoint=ftp://h:21,http://h:9200/index,http://:9200"))
        .containsExactly(
            "--outputElasticsearchEndpoint=ftp://h:21 must start with http:// or https://",
            "--outputElasticsearchEndpoint=http://h:9200/index must be scheme://host[:port] only, without a path or query",
            "--outputElasticsearchEndpoint=http://:9200 has no host name");
  }

  @Test
  void refusesCredentialsInTheUrlWithoutRepeatingThem() {
    List<String> problems =
        problems("--outputElasticsearchEndpoint=https://admin:" + SECRET + "@h.example");
    assertThat(problems)
        .containsExactly(
            "--outputElasticsearchEndpoint: a URL must not carry credentials (user:password@); use "
                + "--elasticsearchUsername and --elasticsearchPassword");
  }

  @Test
  void namesTheOptionAndValueOfEachBadNumberAndTheIndexTemplate() {
    assertThat(
            problems(
                "--outputElasticsearchEndpoint=http://h:9200",
                "--elasticsearchBulkFlushMaxActions=0",
                "--elasticsearchBulkFlushMaxSizeMb=101",
                "--elasticsearchBulkFlushInterval=-1",
                "--elasticsearchMaxRetries=21",
                "--elasticsearchMaxRetryDurationSeconds=-5",
                "--elasticsearchIndex=Trips"))
        .containsExactlyInAnyOrder(
            "--elasticsearchBulkFlushMaxActions=0 must be between 1 and 100000",
            "--elasticsearchBulkFlushMaxSizeMb=101 must be between 1 and 100",
            "--elasticsearchBulkFlushInterval=-1 must be between 0 and 3600000",
            "--elasticsearchMaxRetries=21 must be between 0 and 20",
            "--elasticsearchMaxRetryDurationSeconds=-5 must be between 0 and 86400",
            "--elasticsearchIndex=Trips is invalid: 'T' is not allowed in an index name (use lower-case "
                + "letters, digits, '-', '_', '.' and {field} placeholders)");
  }

  @Test
  void authenticationMustBeCompleteAndUnambiguousAndSecretsAreNotRepeated() {
    String endpoint = "--outputElasticsearchEndpoint=https://h.example";
    assertThat(problems(endpoint, "--elasticsearchUsername=etl"))
        .containsExactly("--elasticsearchUsername=etl needs --elasticsearchPassword");
    assertThat(problems(endpoint, "--elasticsearchPassword=" + SECRET))
        .containsExactly("--elasticsearchPassword is set but --elasticsearchUsername is not");
    assertThat(
            problems(
                endpoint,
                "--elasticsearchUsername=etl",
                "--elasticsearchPassword=" + SECRET,
                "--elasticsearchApiKey=" + SECRET))
        .containsExactly(
            "--elasticsearchUsername and --elasticsearchApiKey can not be combined: choose one");
    assertThat(
            problems(endpoint, "--elasticsearchUsername=etl", "--elasticsearchPassword=" + SECRET))
        .isEmpty();
    assertThat(problems("--elasticsearchApiKey=" + SECRET))
        .containsExactly("--elasticsearchApiKey is set but --outputElasticsearchEndpoint is not");
  }

  @Test
  void theTrustStoreMustBeAReadableFile() throws IOException {
    String endpoint = "--outputElasticsearchEndpoint=https://h.example";
    Path missing = folder.resolve("missing.p12");
    assertThat(problems(endpoint, "--elasticsearchTrustStorePath=" + missing))
        .containsExactly("--elasticsearchTrustStorePath=" + missing + " is not a readable file");
    Path store = Files.write(folder.resolve("trust.p12"), new byte[] {1});
    assertThat(
            problems(
                endpoint,
                "--elasticsearchTrustStorePath=" + store,
                "--elasticsearchTrustStorePassword=x"))
        .isEmpty();
    assertThat(problems(endpoint, "--elasticsearchTrustStorePassword=x"))
        .containsExactly(
            "--elasticsearchTrustStorePassword is set but --elasticsearchTrustStorePath is not");
  }

  @Test
  void sigV4SigningIsRefusedWithTheWayThatWorks() {
    assertThat(
            problems(
                "--outputElasticsearchEndpoint=https://h.example",
                "--elasticsearchRegion=eu-west-1"))
        .singleElement()
        .asString()
        .startsWith("--elasticsearchRegion=eu-west-1 asks for AWS SigV4 request signing")
        .contains("fine-grained access control", "--elasticsearchUsername");
  }

  @Test
  void secretsAreNeitherSerialisedWithTheOptionsNorShownByTheSink() throws Exception {
    StreamingEtlOptions options =
        options(
            "--outputElasticsearchEndpoint=https://h.example",
            "--elasticsearchUsername=etl",
            "--elasticsearchPassword=" + SECRET,
            "--elasticsearchTrustStorePath=/etc/trust.p12",
            "--elasticsearchTrustStorePassword=" + SECRET);
    assertThat(new ObjectMapper().writeValueAsString(options))
        .contains("etl")
        .doesNotContain(SECRET);
    assertThat(DisplayData.from(ElasticsearchSink.fromOptions(options)).toString())
        .contains("https://h.example", "basic")
        .doesNotContain(SECRET);
    StreamingEtlOptions withKey =
        options(
            "--outputElasticsearchEndpoint=https://h.example", "--elasticsearchApiKey=" + SECRET);
    assertThat(new ObjectMapper().writeValueAsString(withKey)).doesNotContain(SECRET);
  }

  @Test
  void aSecretFromAnUnsetEnvironmentVariableIsNamed() {
    assertThat(
            problems(
                "--outputElasticsearchEndpoint=https://127.0.0.1:9200",
                "--elasticsearchUsername=etl",
                "--elasticsearchPassword=${env:TAXIETL_NOT_SET_IN_ANY_TEST}"))
        .containsExactly(
            "--elasticsearchPassword=${env:TAXIETL_NOT_SET_IN_ANY_TEST} names the environment"
                + " variable TAXIETL_NOT_SET_IN_ANY_TEST, which is not set");
    assertThat(EnvironmentSecret.resolve("${env:PATH}")).isEqualTo(System.getenv("PATH"));
    assertThat(EnvironmentSecret.resolve(SECRET)).isEqualTo(SECRET);
    assertThat(EnvironmentSecret.variable("${env:1X}")).isNull();
  }
}
