package io.taxietl.flink;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.beam.runners.core.construction.SerializablePipelineOptions;
import org.apache.beam.runners.flink.translation.wrappers.streaming.io.source.FlinkSource;
import org.apache.beam.sdk.io.CountingSource;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.DiscardingSink;
import org.apache.flink.streaming.api.transformations.SourceTransformation;
import org.junit.jupiter.api.Test;

/**
 * Every Beam source of a translated program, and only those, gets wrapped; the program is otherwise
 * unchanged.
 */
class RestoreSafeSourcesTest {
  @Test
  void theBeamSourcesOfAProgramAreWrappedInPlace() {
    StreamExecutionEnvironment environment = StreamExecutionEnvironment.getExecutionEnvironment();
    FlinkSource<Long, ?> beam =
        FlinkSource.unbounded(
            "ReadEvents/ReadRecords",
            CountingSource.unbounded(),
            new SerializablePipelineOptions(PipelineOptionsFactory.create()),
            4);
    environment
        .fromSource(beam, WatermarkStrategy.noWatermarks(), "ReadEvents/ReadRecords")
        .addSink(new DiscardingSink<>());
    environment.fromSequence(1, 10).addSink(new DiscardingSink<>());

    assertThat(RestoreSafeSources.install(environment)).isEqualTo(1);

    SourceTransformation<?, ?, ?> read = sourceNamed(environment, "ReadEvents/ReadRecords");
    assertThat(read.getSource()).isInstanceOf(RestoreSafeSource.class);
    assertThat(((RestoreSafeSource<?, ?, ?>) read.getSource()).wrapped()).isSameAs(beam);
    assertThat(sourceNamed(environment, "Sequence Source").getSource())
        .isNotInstanceOf(RestoreSafeSource.class);
    assertThat(RestoreSafeSources.install(environment))
        .as("a wrapped source is not wrapped again")
        .isZero();
  }

  private static SourceTransformation<?, ?, ?> sourceNamed(
      StreamExecutionEnvironment environment, String name) {
    for (Transformation<?> sink : environment.getTransformations()) {
      for (Transformation<?> input : sink.getTransitivePredecessors()) {
        if (input instanceof SourceTransformation && input.getName().equals(name)) {
          return (SourceTransformation<?, ?, ?>) input;
        }
      }
    }
    throw new AssertionError("no source named " + name);
  }
}
