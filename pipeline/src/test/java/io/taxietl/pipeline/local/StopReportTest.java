package io.taxietl.pipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.options.SourceType;
import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopReportTest {
  private static final Map<String, Long> TALLIES =
      Map.of(
          EtlMetrics.EVENTS_READ,
          24_745L,
          EtlMetrics.TRIPS_PARSED,
          24_744L,
          EtlMetrics.DEAD_LETTERS,
          1L,
          EtlMetrics.deadLetterCounterName("parse", "MALFORMED_JSON"),
          1L,
          EtlMetrics.PARQUET_FILES_WRITTEN,
          140L,
          EtlMetrics.PARQUET_FILES_COMMITTED,
          130L,
          EtlMetrics.DEAD_LETTER_FILES_COMMITTED,
          1L,
          EtlMetrics.ELASTICSEARCH_DOCUMENTS_INDEXED,
          0L);

  @Nested
  class Text {
    @Test
    void namesTheStopTheCountsThePublishedFilesAndTheStagingFolders() {
      String text =
          StopReport.text(
              kafkaRun(null, false),
              30.24,
              TALLIES,
              true,
              Optional.of(Path.of("/ck/run-1/job/chk-8")));

      assertThat(text)
          .contains("Stopped after 30.2 s, before the job finished (Ctrl-C, SIGTERM")
          .containsPattern("events read +24,745\n")
          .containsPattern("trips parsed +24,744\n")
          .containsPattern("dead letters +1\n")
          .containsPattern("  parse.MALFORMED_JSON +1\n")
          .containsPattern("parquet files +130 below out/trips\n")
          .containsPattern("dead-letter files +1 below out/dead-letters\n")
          .contains(
              "stay in out/.trips-staging and out/.dead-letters-staging (never read as output:"
                  + " delete them once no run writes there)")
          .contains("the last completed checkpoint is in /ck/run-1/job/chk-8 (left as it is)")
          .contains("this run publishes no more files\n")
          .doesNotContain("documents indexed");
    }

    @Test
    void saysThatTheRunsOwnCheckpointFolderIsLeftForTheNextRunToRemove() {
      String text =
          StopReport.text(
              kafkaRun(Path.of("/tmp/taxi-etl-checkpoints/run-1"), true),
              1,
              TALLIES,
              true,
              Optional.of(Path.of("/tmp/taxi-etl-checkpoints/run-1/job/chk-8")));

      assertThat(text)
          .contains(
              "this run's checkpoints: /tmp/taxi-etl-checkpoints/run-1 stays until the next local"
                  + " run removes it")
          .doesNotContain("chk-8");
    }

    @Test
    void saysWhenAPublishWasStillUnderWay() {
      assertThat(StopReport.text(kafkaRun(null, false), 1, TALLIES, false, Optional.empty()))
          .contains("a publish still under way after 10 s may end")
          .doesNotContain("checkpoint is kept");
    }

    @Test
    void aKafkaRunSaysThatItsGroupSkipsTheUnpublishedRows() {
      assertThat(StopReport.text(kafkaRun(null, false), 1, TALLIES, true, Optional.empty()))
          .contains("Consumer group etl-test has committed the offsets")
          .contains("a new run with this group starts after them and does not write those rows")
          .contains("a new --kafkaConsumerGroup");
    }

    @Test
    void aFileRunThatPublishedNothingIsRunAgainAsItWas() {
      StopReport.Run run =
          new StopReport.Run(
              SourceType.FILE, "out/trips", "out/dead-letters", null, null, null, false);

      assertThat(
              StopReport.text(run, 1, Map.of(EtlMetrics.EVENTS_READ, 5L), true, Optional.empty()))
          .contains("a run stopped earlier publishes nothing")
          .contains("Nothing was published: run the same command again.");
      assertThat(StopReport.text(run, 1, TALLIES, true, Optional.empty()))
          .contains("Delete the output folders (or choose new ones) and run again.")
          .contains("--appendToOutput=true would write the published rows a second time");
    }

    @Test
    void aKinesisRunNamesItsStartingPosition() {
      StopReport.Run run =
          new StopReport.Run(
              SourceType.KINESIS, "out/trips", null, null, "TRIM_HORIZON", null, false);

      assertThat(StopReport.text(run, 1, TALLIES, true, Optional.empty()))
          .contains("starts again at --inputStreamInitialPosition=TRIM_HORIZON")
          .doesNotContain("dead-letter files");
    }
  }

  @Nested
  class LatestCheckpoint {
    @TempDir Path folder;

    @Test
    void isTheHighestNumberedCompletedOne() throws IOException {
      completed(folder.resolve("job-a/chk-9"));
      completed(folder.resolve("job-a/chk-10"));
      Files.createDirectories(folder.resolve("job-a/chk-11"));
      Files.createDirectories(folder.resolve("job-a/shared"));

      assertThat(StopReport.latestCheckpoint(folder)).contains(folder.resolve("job-a/chk-10"));
    }

    @Test
    void isNoneWithoutACompletedCheckpointOrFolder() throws IOException {
      Files.createDirectories(folder.resolve("job-a/chk-1"));
      Files.createDirectories(folder.resolve("job-a/taskowned"));

      assertThat(StopReport.latestCheckpoint(folder)).isEmpty();
      assertThat(StopReport.latestCheckpoint(folder.resolve("missing"))).isEmpty();
    }

    private void completed(Path checkpoint) throws IOException {
      Files.createDirectories(checkpoint);
      Files.write(checkpoint.resolve("_metadata"), new byte[] {1});
    }
  }

  private static StopReport.Run kafkaRun(Path checkpoints, boolean own) {
    return new StopReport.Run(
        SourceType.KAFKA, "out/trips", "out/dead-letters", "etl-test", null, checkpoints, own);
  }
}
