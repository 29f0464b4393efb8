package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.testing.LocalElasticsearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline JAR over a file into a real Elasticsearch that serves https with a self-signed
 * certificate and requires basic auth ({@code scripts/elasticsearch.sh start --secure}), the
 * password from the environment ({@code --elasticsearchPassword=${env:NAME}}): every trip indexed
 * once, every bad line a dead letter, and the password in nothing the run prints; a wrong password
 * or a missing trust store stops the job before it reads anything, naming the options.
 */
class SecureElasticsearchIT {
  @RegisterExtension
  static final LocalElasticsearch ES =
      new LocalElasticsearch(LocalElasticsearch.Flavor.ELASTICSEARCH, true);

  private static final Path PIPELINE_JAR =
      Path.of(System.getProperty("pipeline.jar", "target/streaming-etl.jar"));
  private static final Duration DEADLINE = Duration.ofMinutes(5);
  private static final String PASSWORD_VARIABLE = "TAXIETL_ES_PASSWORD";
  private static final String PASSWORD_REFERENCE = "${env:" + PASSWORD_VARIABLE + "}";

  @TempDir Path work;

  @Test
  void tlsAndBasicAuthEndToEndWithThePasswordNowhereInTheOutput() {
    RunnerTestInput input =
        RunnerTestInput.write(
            work,
            "secure-es.jsonl.gz",
            TestEvents.mix(
                RunnerTestInput.sample().subList(0, 1_500), TestEvents.badTextEvents("es")));
    Path trips = work.resolve("out/trips");
    Path deadLetters = work.resolve("out/dead-letters");
    JarRun run =
        JarRun.run(
            PIPELINE_JAR,
            List.of(),
            esArgs(PASSWORD_REFERENCE, true, "--inputPath=" + input.file(), trips, deadLetters),
            Map.of(PASSWORD_VARIABLE, ES.password()),
            work.resolve("SecureElasticsearchIT-run.log"),
            DEADLINE);
    System.out.printf(
        "SecureElasticsearchIT: %d trips and %d bad lines over https + basic auth: exit %d in %.1f"
            + " s, %d documents%n",
        input.tripIds().size(),
        input.rejectionsByLine().size(),
        run.exitCode(),
        run.seconds(),
        ES.countsPerIndex("secure-").values().stream().mapToLong(Long::longValue).sum());

    assertThat(run.exitCode()).as(run.tail()).isEqualTo(StreamingEtlMain.EXIT_OK);
    RunOutput.of("secure elasticsearch", trips, deadLetters).assertIsTheOutputOf(input);
    assertThat(ES.countsPerIndex("secure-").values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(input.tripIds().size());
    assertThat(run.output()).contains("Running on").doesNotContain(ES.password());
  }

  @Test
  void aWrongPasswordStopsTheJobBeforeItStartsNamingTheOptions() {
    String wrong = "wrong-" + Long.toHexString(System.nanoTime());
    RunnerTestInput input =
        RunnerTestInput.write(work, "ten.jsonl.gz", RunnerTestInput.sample().subList(0, 10));
    Path trips = work.resolve("out/trips");
    JarRun run =
        JarRun.run(
            PIPELINE_JAR,
            List.of(),
            esArgs(
                wrong,
                true,
                "--inputPath=" + input.file(),
                trips,
                work.resolve("out/dead-letters")),
            Map.of(),
            work.resolve("wrong.log"),
            Duration.ofMinutes(2));
    System.out.printf(
        "SecureElasticsearchIT: a wrong password: exit %d after %.1f s (JVM start included)%n",
        run.exitCode(), run.seconds());

    assertThat(run.exitCode()).as(run.tail()).isEqualTo(StreamingEtlMain.EXIT_FAILED);
    assertThat(run.output())
        .contains("The job cannot start:")
        .contains(
            "--outputElasticsearchEndpoint="
                + ES.url()
                + ": the server refused --elasticsearchUsername="
                + ES.username()
                + " and its password (HTTP 401)")
        .doesNotContain(wrong)
        .doesNotContain("Running on");
    assertThat(trips).doesNotExist();
  }

  @Test
  void noTrustStoreIsNamedWithTheTrustStoreOptions() {
    List<String> problems =
        ElasticsearchConnectionCheck.problems(
            MskIamConnectionIT.options(
                esArgs(ES.password(), false, "--source=FILE", work, work).toArray(String[]::new)));

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("--outputElasticsearchEndpoint=" + ES.url() + ": the TLS handshake failed (")
        .contains("--elasticsearchTrustStorePath")
        .doesNotContain(ES.password());
  }

  private static List<String> esArgs(
      String password, boolean trustStore, String input, Path trips, Path deadLetters) {
    List<String> args =
        new ArrayList<>(
            List.of(
                input,
                "--outputPath=" + trips,
                "--deadLetterPath=" + deadLetters,
                "--outputElasticsearchEndpoint=" + ES.url(),
                "--elasticsearchIndex=secure-{type}",
                "--elasticsearchUsername=" + ES.username(),
                "--elasticsearchPassword=" + password));
    if (trustStore) {
      args.add("--elasticsearchTrustStorePath=" + ES.trustStore());
      args.add("--elasticsearchTrustStorePassword=" + LocalElasticsearch.TRUST_STORE_PASSWORD);
    }
    return args;
  }
}
