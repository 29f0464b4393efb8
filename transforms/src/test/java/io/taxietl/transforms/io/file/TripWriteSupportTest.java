package io.taxietl.transforms.io.file;

import static io.taxietl.transforms.TestTrips.readParquet;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.TestTrips;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink's own write support produces, byte for byte, the file that parquet-avro writes for the
 * same trips: same schema, same footer metadata, same rows.
 */
class TripWriteSupportTest {
  @TempDir Path dir;

  @Test
  void theBundledSampleIsWrittenExactlyAsParquetAvroWritesIt() throws IOException {
    List<TripEvent> trips = new ArrayList<>(TestTrips.sampleTrips());
    trips.add(TestTrips.everyFieldSet());
    trips.add(
        TripEvent.newBuilder(TestTrips.everyFieldSet())
            .setPickupBorough("Manhattan")
            .setPickupZone("Upper West Side South")
            .setDropoffBorough("Queens")
            .setDropoffZone("Saint Michaels Cemetery/Woodside")
            .build());
    trips.add(TestTrips.onlyRequiredFields());

    Path ours = dir.resolve("ours.parquet");
    try (FileChannel channel =
        FileChannel.open(ours, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      TripParquetSink sink = TripParquetSink.withCompression(CompressionCodecName.SNAPPY);
      sink.open(channel);
      for (TripEvent trip : trips) {
        sink.write(trip);
      }
      sink.flush();
    }
    Path avro = dir.resolve("avro.parquet");
    try (ParquetWriter<TripEvent> writer =
        AvroParquetWriter.<TripEvent>builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(avro.toUri()), new Configuration(false)))
            .withSchema(TripEvent.getClassSchema())
            .withDataModel(TripParquetModel.get())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration(false))
            .build()) {
      for (TripEvent trip : trips) {
        writer.write(trip);
      }
    }

    assertThat(readParquet(ours)).hasSize(trips.size()).isEqualTo(readParquet(avro));
    assertThat(Files.readAllBytes(ours)).isEqualTo(Files.readAllBytes(avro));
  }

  @Test
  void everyFieldOfTheSchemaIsAColumnItWrites() {
    List<String> avroFields = new ArrayList<>();
    for (Schema.Field field : TripEvent.getClassSchema().getFields()) {
      avroFields.add(field.name());
    }
    List<String> columns = new ArrayList<>();
    TripWriteSupport.SCHEMA.getFields().forEach(f -> columns.add(f.getName()));
    assertThat(columns).isEqualTo(avroFields);
  }
}
