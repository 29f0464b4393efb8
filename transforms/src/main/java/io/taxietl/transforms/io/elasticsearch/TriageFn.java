package io.taxietl.transforms.io.elasticsearch;

import io.taxietl.avro.EventSource;
import io.taxietl.transforms.deadletter.DeadLetters;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.io.elasticsearch.ElasticsearchIO.Document;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Sends documents whose failure is transient ({@link BulkFailure#isTransient()}) on to the next
 * retry ({@link IndexToElasticsearch#RETRY}) and turns the others into dead letters ({@link
 * IndexToElasticsearch#DEAD_LETTERS}). With a schedule given, the retries are exhausted and every
 * failure is final.
 */
final class TriageFn extends DoFn<Document, Document> {
  private final @Nullable RetrySchedule exhausted;
  private transient EtlMetrics.EtlCounter rejected;
  private transient EtlMetrics.EtlCounter deadLetters;
  private transient EtlMetrics.EtlCounter deadLettersByReason;

  /** {@code exhausted}: the schedule whose retries are used up, or null while retries are left. */
  TriageFn(@Nullable RetrySchedule exhausted) {
    this.exhausted = exhausted;
  }

  @Setup
  public void setup() {
    rejected = EtlMetrics.counter(EtlMetrics.ELASTICSEARCH_DOCUMENTS_REJECTED);
    deadLetters = EtlMetrics.counter(EtlMetrics.DEAD_LETTERS);
    deadLettersByReason =
        EtlMetrics.counter(
            EtlMetrics.deadLetterCounterName(
                IndexToElasticsearch.STAGE, IndexToElasticsearch.REASON));
  }

  @ProcessElement
  public void processElement(@Element Document document, MultiOutputReceiver out)
      throws IOException {
    BulkFailure failure = BulkFailure.of(document.getResponseItemJson());
    if (failure.isTransient() && exhausted == null) {
      out.get(IndexToElasticsearch.RETRY)
          .output(document.withHasError(false).withResponseItemJson(null));
      return;
    }
    String message = failure.message();
    if (failure.isTransient()) {
      message +=
          String.format(
              Locale.ROOT,
              " (still failing after %d retries over %.1f s of backoff)",
              exhausted.retries(),
              exhausted.totalWait().getMillis() / 1000.0);
    }
    rejected.inc();
    deadLetters.inc();
    deadLettersByReason.inc();
    String json = Objects.requireNonNullElse(document.getInputDoc(), "");
    out.get(IndexToElasticsearch.DEAD_LETTERS)
        .output(
            DeadLetters.of(
                IndexToElasticsearch.STAGE,
                IndexToElasticsearch.REASON,
                message,
                failure.errorType(),
                json.getBytes(StandardCharsets.UTF_8),
                EventSource.newBuilder().setSource(IndexToElasticsearch.UNKNOWN_SOURCE).build(),
                json.isEmpty() ? null : TripIds.of(document),
                Instant.now()));
  }
}
