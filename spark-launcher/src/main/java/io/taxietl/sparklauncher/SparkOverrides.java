package io.taxietl.sparklauncher;

import io.taxietl.transforms.io.file.PublishCommittedFiles;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.AppliedPTransform;
import org.apache.beam.sdk.runners.PTransformOverride;
import org.apache.beam.sdk.util.construction.PTransformMatchers;
import org.apache.beam.sdk.util.construction.PTransformReplacements;
import org.apache.beam.sdk.util.construction.SingleInputOutputOverrideFactory;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Changes the pipeline for Beam's Spark runner before it runs. The runner refuses every step marked
 * {@code @RequiresStableInput} ("Spark runner currently doesn't support @RequiresStableInput
 * annotation", apache/beam#19107), so each {@link PublishCommittedFiles} step (Parquet files, dead
 * letters) is replaced by {@link PublishCommittedFiles#withoutStableInput()}: the same moves from
 * the staging folder into the output folder, under the same step name, as soon as FileIO reports
 * each file.
 */
final class SparkOverrides {
  private SparkOverrides() {}

  static void apply(Pipeline pipeline) {
    pipeline.replaceAll(
        List.of(
            PTransformOverride.of(
                PTransformMatchers.classEqualTo(PublishCommittedFiles.class),
                new PublishWithoutStableInput<>())));
  }

  /** Replaces a publish step by its variant without stable input. */
  private static final class PublishWithoutStableInput<DestinationT>
      extends SingleInputOutputOverrideFactory<
          PCollection<KV<DestinationT, String>>,
          PCollection<KV<DestinationT, String>>,
          PublishCommittedFiles<DestinationT>> {
    @Override
    public PTransformReplacement<
            PCollection<KV<DestinationT, String>>, PCollection<KV<DestinationT, String>>>
        getReplacementTransform(
            AppliedPTransform<
                    PCollection<KV<DestinationT, String>>,
                    PCollection<KV<DestinationT, String>>,
                    PublishCommittedFiles<DestinationT>>
                transform) {
      return PTransformReplacement.of(
          PTransformReplacements.getSingletonMainInput(transform),
          transform.getTransform().withoutStableInput());
    }
  }
}
