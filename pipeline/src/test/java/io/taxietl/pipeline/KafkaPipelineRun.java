package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.RawEvent;
import io.taxietl.options.StreamingEtlOptions;
import io.taxietl.replay.Replay;
import io.taxietl.testing.LocalKafka;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Feeds events into Kafka and runs the real pipeline on embedded Flink against it, detached. */
final class KafkaPipelineRun implements AutoCloseable {
  private final PipelineResult result;

  private KafkaPipelineRun(PipelineResult result) {
    this.result = result;
  }

  /**
   * Parses {@code args} exactly as the main does (with its local defaults), adds {@code
   * --attachedMode=false} so the run can be watched and cancelled, and starts the pipeline.
   */
  static KafkaPipelineRun start(
      List<String> args, UnaryOperator<PTransform<PBegin, PCollection<RawEvent>>> wrapSource) throws Exception {
    List<String> all = new ArrayList<>(args);
    all.add("--attachedMode=false");
    StreamingEtlOptions options =
        StreamingEtlMain.parseOptions(all.toArray(String[]::new), System.out);
    Pipeline pipeline = Pipeline.create(options);
    StreamingEtlPipeline.build(pipeline, options, wrapSource.apply(EventSources.fromOptions(options)));
    return new KafkaPipelineRun(pipeline.run());
  }

  PipelineResult.State state() {
    return result.getState();
  }

  /** Cancels the job; its embedded cluster shuts down with it. */
  @Override
  public void close() throws IOException {
    try {
      result.cancel();
    } catch (IllegalStateException e) {
      // The per-job mini cluster has already shut down: the job is over.
    }
  }

  /** Replays the text events through {@code replay kafka}, as fast as possible, one per line. */
  static void replay(LocalKafka kafka, String topic, List<TestEvents.Event> events, Path work) {
    Path file = work.resolve(topic + "-" + System.nanoTime() + ".jsonl");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (TestEvents.Event event : events) {
        out.write(event.payload());
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
    int exit =
        Replay.run(
            new String[] {
              "kafka", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", topic, "--speedup", "0",
              file.toString()
            },
            print,
            print);
    assertThat(exit).as(log.toString(StandardCharsets.UTF_8)).isZero();
  }

  /** Produces raw payloads straight to the topic (for binary poison that has no line form). */
  static void produce(LocalKafka kafka, String topic, List<TestEvents.Event> events) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (TestEvents.Event event : events) {
        producer.send(new ProducerRecord<>(topic, event.payload()));
      }
      producer.flush();
    }
  }
}
