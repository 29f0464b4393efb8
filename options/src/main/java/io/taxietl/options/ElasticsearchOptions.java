package io.taxietl.options;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The Elasticsearch / OpenSearch sink: off unless {@code --outputElasticsearchEndpoint} is set.
 * Names of the original sample's parameters are kept. Secrets ({@code --elasticsearchPassword},
 * {@code --elasticsearchApiKey}, {@code --elasticsearchTrustStorePassword}) are never serialised
 * with the options, so they appear in no job configuration that a runner shows.
 */
public interface ElasticsearchOptions extends PipelineOptions {
  String DEFAULT_INDEX = "{type}";

  @Description(
      "Elasticsearch or OpenSearch endpoint(s) to index valid trips into, comma-separated URLs such as "
          + "https://search.example.com:443 or http://127.0.0.1:9200. Without it no trip is indexed.")
  List<String> getOutputElasticsearchEndpoint();

  void setOutputElasticsearchEndpoint(List<String> value);

  @Description(
      "Index each trip goes to: literal text and {field} placeholders over the trip's fields, lower-cased. "
          + "Default: {type} (yellow, green, fhv, ... as the original sample); e.g. trips-{type} adds a prefix.")
  @Default.String(DEFAULT_INDEX)
  String getElasticsearchIndex();

  void setElasticsearchIndex(String value);

  @Description("Most documents per bulk request. Default: 1000.")
  @Default.Integer(1000)
  int getElasticsearchBulkFlushMaxActions();

  void setElasticsearchBulkFlushMaxActions(int value);

  @Description("Most megabytes per bulk request. Default: 5.")
  @Default.Integer(5)
  int getElasticsearchBulkFlushMaxSizeMb();

  void setElasticsearchBulkFlushMaxSizeMb(int value);

  @Description(
      "Milliseconds between bulk requests at most: documents are batched across runner bundles and "
          + "sent at least this often. Default: 0, a bulk request at the end of every runner bundle "
          + "(on Flink at most 1000 documents or 1 s).")
  @Default.Long(0)
  long getElasticsearchBulkFlushInterval();

  void setElasticsearchBulkFlushInterval(long value);

  @Description(
      "Retries of a document that failed for a transient reason (no answer, HTTP 429, 5xx), with "
          + "exponential backoff from 1 s, each wait at most 30 s. Then it becomes a dead letter. Default: 8.")
  @Default.Integer(8)
  int getElasticsearchMaxRetries();

  void setElasticsearchMaxRetries(int value);

  @Description(
      "Most seconds of backoff in total for one document's retries; the last wait is shortened to fit. "
          + "Default: 120.")
  @Default.Integer(120)
  int getElasticsearchMaxRetryDurationSeconds();

  void setElasticsearchMaxRetryDurationSeconds(int value);

  @Description(
      "User for HTTP basic authentication (e.g. the master user of Amazon OpenSearch Service's "
          + "fine-grained access control). Needs --elasticsearchPassword.")
  String getElasticsearchUsername();

  void setElasticsearchUsername(String value);

  @Description(
      "Password for --elasticsearchUsername, or ${env:NAME} to read it from that environment variable "
          + "of the process that starts the job. Never logged nor shown with the job's options.")
  @JsonIgnore
  String getElasticsearchPassword();

  void setElasticsearchPassword(String value);

  @Description(
      "Elasticsearch API key (the base64 encoded id:api_key), instead of basic authentication; or "
          + "${env:NAME} as for --elasticsearchPassword. Never logged nor shown with the job's options.")
  @JsonIgnore
  String getElasticsearchApiKey();

  void setElasticsearchApiKey(String value);

  @Description(
      "Trust store (JKS or PKCS#12 file) with the certificate authority of an https endpoint, when the "
          + "JVM's default trust store does not know it. The file must exist where the job runs.")
  String getElasticsearchTrustStorePath();

  void setElasticsearchTrustStorePath(String value);

  @Description(
      "Password of --elasticsearchTrustStorePath, if it has one; or ${env:NAME} as for "
          + "--elasticsearchPassword.")
  @JsonIgnore
  String getElasticsearchTrustStorePassword();

  void setElasticsearchTrustStorePassword(String value);

  @Description(
      "The original sample's region for AWS SigV4 request signing. Not supported: Beam's ElasticsearchIO "
          + "cannot sign requests; use fine-grained access control with --elasticsearchUsername and "
          + "--elasticsearchPassword instead (see docs/elasticsearch.md).")
  String getElasticsearchRegion();

  void setElasticsearchRegion(String value);
}
