package io.taxietl.transforms.io.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BulkFailureTest {
  @Test
  void aMappingConflictIsPermanentAndKeepsElasticsearchsReason() {
    BulkFailure failure =
        BulkFailure.of(
            "{\"index\":{\"_index\":\"yellow\",\"_type\":\"_doc\",\"_id\":\"2\",\"status\":400,\"error\":"
                + "{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field "
                + "[store_and_fwd_flag] of type [long]\",\"caused_by\":{\"type\":"
                + "\"illegal_argument_exception\",\"reason\":\"For input string: \\\"N\\\"\"}}}}");
    assertThat(failure.isTransient()).isFalse();
    assertThat(failure.status()).isEqualTo(400);
    assertThat(failure.errorType()).isEqualTo("mapper_parsing_exception");
    assertThat(failure.message())
        .isEqualTo(
            "Elasticsearch answered 400 mapper_parsing_exception: failed to parse field "
                + "[store_and_fwd_flag] of type [long] (caused by illegal_argument_exception: For input "
                + "string: \"N\") [index yellow]");
  }

  @Test
  void tooManyRequestsAndServerErrorsOfAnItemAreTransient() {
    BulkFailure rejected =
        BulkFailure.of(
            "{\"index\":{\"_index\":\"yellow\",\"_id\":\"1\",\"status\":429,\"error\":{\"type\":"
                + "\"es_rejected_execution_exception\",\"reason\":\"rejected execution\"}}}");
    BulkFailure unavailable =
        BulkFailure.of(
            "{\"create\":{\"_index\":\"yellow\",\"_id\":\"1\",\"status\":503,\"error\":{\"type\":"
                + "\"unavailable_shards_exception\",\"reason\":\"primary shard is not active\"}}}");
    assertThat(rejected.isTransient()).isTrue();
    assertThat(rejected.status()).isEqualTo(429);
    assertThat(unavailable.isTransient()).isTrue();
    assertThat(unavailable.errorType()).isEqualTo("unavailable_shards_exception");
  }

  @Test
  void aBulkRequestThatGotNoAnswerIsTransient() {
    BulkFailure failure =
        BulkFailure.of(BulkFailure.REQUEST_FAILURE_PREFIX + "Connection refused\"}");
    assertThat(failure.isTransient()).isTrue();
    assertThat(failure.status()).isNull();
    assertThat(failure.errorType()).isEqualTo("java.io.IOException");
    assertThat(failure.message()).isEqualTo("the bulk request got no answer: Connection refused");
  }

  @Test
  void aWholeRequestRefusedWith429IsTransientAndWith401IsNot() {
    // ElasticsearchIO puts the ResponseException's message (with the unescaped JSON body) into the
    // text.
    String tooMany =
        BulkFailure.REQUEST_FAILURE_PREFIX
            + "method [POST], host [http://127.0.0.1:9200], URI [/_bulk], status line [HTTP/1.1 429 Too Many "
            + "Requests]\n{\"error\":{\"type\":\"circuit_breaking_exception\",\"reason\":\"[in_flight_requests] "
            + "Data too large\"},\"status\":429}\"}";
    String unauthorized =
        BulkFailure.REQUEST_FAILURE_PREFIX
            + "method [POST], host [https://search.example:443], URI [/_bulk], status line [HTTP/1.1 401 "
            + "Unauthorized]\n{\"error\":{\"type\":\"security_exception\"},\"status\":401}\"}";
    BulkFailure breaker = BulkFailure.of(tooMany);
    assertThat(breaker.isTransient()).isTrue();
    assertThat(breaker.status()).isEqualTo(429);
    assertThat(breaker.errorType()).isEqualTo("circuit_breaking_exception");
    assertThat(breaker.message())
        .startsWith("Elasticsearch refused the whole bulk request with 429")
        .doesNotContain("\n");
    BulkFailure denied = BulkFailure.of(unauthorized);
    assertThat(denied.isTransient()).isFalse();
    assertThat(denied.status()).isEqualTo(401);
  }

  @Test
  void notImplementedIsPermanent() {
    assertThat(
            BulkFailure.of("{\"index\":{\"status\":501,\"error\":{\"type\":\"x\"}}}").isTransient())
        .isFalse();
    assertThat(
            BulkFailure.of("{\"index\":{\"status\":502,\"error\":{\"type\":\"x\"}}}").isTransient())
        .isTrue();
  }
}
