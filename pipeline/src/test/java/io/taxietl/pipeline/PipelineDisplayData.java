package io.taxietl.pipeline;

import io.taxietl.options.StreamingEtlOptions;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.construction.PipelineOptionsTranslation;

/**
 * Everything a runner can show about the pipeline that the main builds from some arguments: the
 * options as they are serialised for the workers, their display data, and the display data of every
 * step. For the secret scans.
 */
final class PipelineDisplayData {
  private PipelineDisplayData() {}

  static String of(List<String> args) throws Exception {
    StreamingEtlOptions options =
        StreamingEtlMain.parseOptions(args.toArray(String[]::new), System.out);
    Pipeline pipeline = StreamingEtlPipeline.create(options);
    StringBuilder text = new StringBuilder(PipelineOptionsTranslation.toJson(options));
    text.append('\n').append(DisplayData.from(options)).append('\n');
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            add(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            add(node);
          }

          private void add(TransformHierarchy.Node node) {
            if (node.getTransform() != null) {
              text.append(node.getFullName())
                  .append(' ')
                  .append(DisplayData.from(node.getTransform()))
                  .append('\n');
            }
          }
        });
    return text.toString();
  }
}
