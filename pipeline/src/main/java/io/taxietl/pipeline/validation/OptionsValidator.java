package io.taxietl.pipeline.validation;

import io.taxietl.options.LocalRunObservabilityOptions;
import io.taxietl.options.StreamingEtlOptions;
import java.time.ZoneId;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Checks option values and their combinations before anything is read or written. Every problem is
 * reported, each naming the option and the value that is wrong.
 *
 * <p>The rules live with the options they check, one class per options interface ({@link
 * SourceRules} and the source rules it chooses from, {@link S3StoreRules}, {@link KafkaSinkRules},
 * {@link EnrichmentRules}, {@link ParquetOutputRules}, {@link ElasticsearchRules}, {@link
 * LocalRunRules}); {@link SinkRules} combines the sinks. Validation changes nothing: it reads the
 * options and lists input files through Beam's file systems, which the caller sets up for the
 * options first (see {@code StreamingEtlPipeline.setUpFileSystems}), so that {@code s3://} paths
 * are listed with the pipeline's S3 settings.
 */
public final class OptionsValidator {
  private OptionsValidator() {}

  /** The problems found, empty when the options are valid. */
  public static List<String> validate(StreamingEtlOptions options) {
    Problems problems = new Problems();
    ZoneId zone = EventTimeRules.zone(options, problems);
    SourceRules.check(options, problems);
    S3StoreRules.check(options, problems);
    KafkaSinkRules.check(options, problems);
    SinkRules.check(options, problems);
    EnrichmentRules.check(options, problems);
    ParquetOutputRules.check(options, zone, problems);
    ElasticsearchRules.check(options, problems);
    return problems.list();
  }

  /**
   * The problems of running {@code options} again into output that is already there: a run over
   * files refuses folders that hold its kind of files unless {@code --appendToOutput=true} ({@link
   * ExistingOutputRules}). For the command line only: the launcher JAR is started again for every
   * restore from a snapshot and cannot tell one from a new run. {@code restoring}: the run restores
   * a savepoint.
   */
  public static List<String> validateExistingOutput(
      StreamingEtlOptions options, boolean restoring) {
    Problems problems = new Problems();
    ExistingOutputRules.check(options, restoring, problems);
    return problems.list();
  }

  /**
   * The problems of {@code --flinkWebUiPort} and {@code --metricsPrometheusPort}: each a port or 0,
   * not the same port, and only for an embedded-Flink run whose Flink configuration the launcher
   * writes ({@code embeddedFlink}: FlinkRunner with {@code --flinkMaster=[local]}; {@code
   * userFlinkConfDir}: the {@code --flinkConfDir} the user gave, or null).
   */
  public static List<String> validateLocalRun(
      LocalRunObservabilityOptions options,
      boolean embeddedFlink,
      @Nullable String userFlinkConfDir) {
    Problems problems = new Problems();
    LocalRunRules.check(options, embeddedFlink, userFlinkConfDir, problems);
    return problems.list();
  }
}
