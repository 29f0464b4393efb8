package io.taxietl.transforms.io.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.transforms.metrics.EtlMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.reflect.DoFnSignatures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublishCommittedFilesTest {
  @TempDir Path folder;

  /**
   * The variant for runners without {@code @RequiresStableInput} (Beam's Spark runner refuses the
   * annotation) moves the same files to the same places; only the annotation differs.
   */
  @ParameterizedTest(name = "stable input: {0}")
  @ValueSource(booleans = {true, false})
  void aStagedFileMovesToTheSameRelativePathBelowThePublishedFolder(boolean stableInput)
      throws IOException {
    Path staging = folder.resolve(".trips-staging");
    Path published = folder.resolve("trips");
    Path staged = staging.resolve("pickup_location=001/trips-1.parquet");
    Files.createDirectories(staged.getParent());
    Files.write(staged, "rows".getBytes(StandardCharsets.UTF_8));

    PublishCommittedFiles<String> publish =
        PublishCommittedFiles.<String>from(
            staging.toString(), published.toString(), EtlMetrics.PARQUET_FILES_COMMITTED);
    TestPipeline pipeline = TestPipeline.create().enableAbandonedNodeEnforcement(true);
    PCollection<KV<String, String>> files =
        pipeline
            .apply(
                Create.of(KV.of("pickup_location=001", staged.toString()))
                    .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
            .apply(stableInput ? publish : publish.withoutStableInput());
    PAssert.that(files)
        .containsInAnyOrder(
            KV.of(
                "pickup_location=001",
                published.resolve("pickup_location=001/trips-1.parquet").toString()));

    assertThat(stepsRequiringStableInput(pipeline))
        .isEqualTo(
            stableInput
                ? List.of("PublishCommittedFiles/MoveIntoPlace/ParMultiDo(Publish)")
                : List.of());
    pipeline.run().waitUntilFinish();
    assertThat(staged).doesNotExist();
    assertThat(published.resolve("pickup_location=001/trips-1.parquet")).hasContent("rows");
  }

  private static List<String> stepsRequiringStableInput(TestPipeline pipeline) {
    List<String> steps = new ArrayList<>();
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof ParDo.MultiOutput<?, ?> parDo
                && DoFnSignatures.signatureForDoFn(parDo.getFn())
                    .processElement()
                    .requiresStableInput()) {
              steps.add(node.getFullName());
            }
          }
        });
    return steps;
  }
}
