package io.taxietl.benchmarks;

import io.taxietl.avro.EventSource;
import io.taxietl.avro.FailedEvent;
import io.taxietl.avro.RawEvent;
import io.taxietl.avro.TripEvent;
import io.taxietl.options.ParquetOutputOptions;
import io.taxietl.transforms.deadletter.DeadLetters;
import io.taxietl.transforms.deadletter.FailedEventJson;
import io.taxietl.transforms.io.file.PartitionTemplate;
import io.taxietl.transforms.io.file.TripParquetModel;
import io.taxietl.transforms.parse.ParseOutcome;
import io.taxietl.transforms.parse.RejectionReason;
import io.taxietl.transforms.parse.TripEventParser;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The yardstick: the same work as our pipeline, written as an idiomatic Flink 1.19 DataStream job
 * the way the original AWS sample did it. {@code KafkaSource} from the earliest offset -> parse
 * with the same {@link TripEventParser} -> trips to a {@code FileSink} of Parquet (Avro specific
 * records, Snappy) with a bucket per partition folder of our {@link PartitionTemplate}, rolling on
 * every checkpoint; rejected events to a side output written as JSON lines, the same dead-letter
 * JSON as ours. Files become visible (renamed from hidden in-progress names) when a checkpoint
 * completes.
 *
 * <p>Source, parser and writers are chained in one task per slot, with object reuse on, so records
 * are never serialised between steps (the generated Avro classes have no setters, so Flink's {@code
 * AvroTypeInfo} does not take them; the Kryo fallback type is declared but never used on this
 * chained path).
 *
 * <p>Arguments: {@code --bootstrap-servers HOST:PORT --topic T --group G --trips DIR --dead-letters
 * DIR [--parallelism 2] [--checkpoint-millis 10000] [--checkpoint-dir URI]}.
 */
public final class BaselineFlinkJob {
  static final OutputTag<String> DEAD_LETTERS = new OutputTag<>("dead-letters", Types.STRING);

  private BaselineFlinkJob() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Arguments.parse(args);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(Integer.parseInt(a.getOrDefault("parallelism", "2")));
    // Every step is chained and none changes its input, so records need not be copied between them.
    env.getConfig().enableObjectReuse();
    env.enableCheckpointing(
        Long.parseLong(a.getOrDefault("checkpoint-millis", "10000")),
        CheckpointingMode.EXACTLY_ONCE);
    if (a.containsKey("checkpoint-dir")) {
      env.getCheckpointConfig().setCheckpointStorage(a.get("checkpoint-dir"));
    }
    build(
        env,
        a.get("bootstrap-servers"),
        a.get("topic"),
        a.get("group"),
        a.get("trips"),
        a.get("dead-letters"));
    env.execute("baseline-kafka-to-parquet");
  }

  static void build(
      StreamExecutionEnvironment env,
      String bootstrapServers,
      String topic,
      String group,
      String tripsDir,
      String deadLettersDir) {
    ZoneId zone = ZoneOffset.UTC;
    KafkaSource<RawEvent> source =
        KafkaSource.<RawEvent>builder()
            .setBootstrapServers(bootstrapServers)
            .setTopics(topic)
            .setGroupId(group)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setProperty("isolation.level", "read_committed")
            .setDeserializer(new ToRawEvents())
            .build();
    DataStream<RawEvent> events =
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "ReadEvents");
    SingleOutputStreamOperator<TripEvent> trips =
        events
            .process(new ParseFunction(zone), new GenericTypeInfo<>(TripEvent.class))
            .name("ParseTripEvents")
            .uid("ParseTripEvents");

    PartitionTemplate template =
        PartitionTemplate.parse(ParquetOutputOptions.DEFAULT_PARTITION_TEMPLATE, zone);
    trips
        .sinkTo(
            FileSink.forBulkFormat(new Path(tripsDir), parquetWriter())
                .withBucketAssigner(new PartitionBucketAssigner(template))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                    OutputFileConfig.builder()
                        .withPartPrefix("trips")
                        .withPartSuffix(".parquet")
                        .build())
                .build())
        .name("WriteParquetByEventTime")
        .uid("WriteParquetByEventTime");
    trips
        .getSideOutput(DEAD_LETTERS)
        .sinkTo(
            FileSink.forRowFormat(new Path(deadLettersDir), new SimpleStringEncoder<String>())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(
                    OutputFileConfig.builder()
                        .withPartPrefix("dead-letters")
                        .withPartSuffix(".jsonl")
                        .build())
                .build())
        .name("WriteDeadLetters")
        .uid("WriteDeadLetters");
  }

  /** Parquet through Avro specific records, Snappy, with the timestamp conversions of our model. */
  static ParquetWriterFactory<TripEvent> parquetWriter() {
    return new ParquetWriterFactory<>(
        out ->
            AvroParquetWriter.<TripEvent>builder(out)
                .withSchema(TripEvent.getClassSchema())
                .withDataModel(TripParquetModel.get())
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build());
  }

  /**
   * Parses each payload; trips to the main output, rejections as dead-letter JSON to the side
   * output.
   */
  static final class ParseFunction extends ProcessFunction<RawEvent, TripEvent> {
    private static final long serialVersionUID = 1L;
    private final TripEventParser parser;

    ParseFunction(ZoneId zone) {
      this.parser = new TripEventParser(zone);
    }

    @Override
    public void processElement(RawEvent event, Context ctx, Collector<TripEvent> out) {
      FirstEventProbe.mark();
      byte[] payload = event.getPayload().array();
      ParseOutcome outcome = parser.parse(payload);
      if (outcome instanceof ParseOutcome.Trip trip) {
        out.collect(trip.event());
      } else if (outcome instanceof ParseOutcome.Rejected rejected) {
        RejectionReason reason = rejected.reason();
        FailedEvent failed =
            DeadLetters.of(
                reason.stage(),
                reason.name(),
                rejected.message(),
                null,
                payload,
                event.getOrigin(),
                rejected.tripId(),
                Instant.now());
        ctx.output(DEAD_LETTERS, FailedEventJson.toJson(failed));
      }
    }
  }

  /**
   * Each Kafka record as a {@link RawEvent}: the value as payload, topic, partition and offset as
   * origin.
   */
  static final class ToRawEvents implements KafkaRecordDeserializationSchema<RawEvent> {
    private static final long serialVersionUID = 1L;
    private static final byte[] EMPTY = new byte[0];

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawEvent> out) {
      byte[] value = record.value();
      out.collect(
          RawEvent.newBuilder()
              .setPayload(ByteBuffer.wrap(value == null ? EMPTY : value))
              .setOrigin(
                  EventSource.newBuilder()
                      .setSource("kafka")
                      .setTopic(record.topic())
                      .setPartition(record.partition())
                      .setOffset(record.offset())
                      .build())
              .build());
    }

    @Override
    public TypeInformation<RawEvent> getProducedType() {
      return new GenericTypeInfo<>(RawEvent.class);
    }
  }

  /** One bucket per partition folder, the folder our {@link PartitionTemplate} computes. */
  static final class PartitionBucketAssigner implements BucketAssigner<TripEvent, String> {
    private static final long serialVersionUID = 1L;
    private final PartitionTemplate template;

    PartitionBucketAssigner(PartitionTemplate template) {
      this.template = template;
    }

    @Override
    public String getBucketId(TripEvent trip, Context context) {
      return template.partitionOf(trip);
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
      return SimpleVersionedStringSerializer.INSTANCE;
    }
  }
}
