package io.taxietl.transforms.io.file;

import static io.taxietl.transforms.TestTrips.readParquet;
import static io.taxietl.transforms.TestTrips.trip;
import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TripParquetSinkTest {
  @TempDir Path dir;

  @Test
  void writesEveryTripAsARowWithTimestampsAndTheChosenCodec() throws Exception {
    List<TripEvent> trips =
        List.of(
            trip(1, "2019-03-01T00:13:12", 239),
            trip(2, "2008-12-31T23:49:36", 158),
            trip(3, "2019-03-02T10:00:00", 1));
    Path file = dir.resolve("trips.parquet");
    TripParquetSink sink = TripParquetSink.withCompression(CompressionCodecName.GZIP);
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      sink.open(channel);
      for (TripEvent trip : trips) {
        sink.write(trip);
      }
      sink.flush();
      assertThat(channel.isOpen()).as("the channel is FileIO's to close").isTrue();
    }

    List<GenericRecord> rows = readParquet(file);
    assertThat(rows).extracting(r -> r.get("trip_id")).containsExactly(1L, 2L, 3L);
    assertThat(rows).extracting(r -> r.get("pickup_location_id")).containsExactly(239, 158, 1);
    // Written as timestamp-millis, read back as the same instant.
    assertThat(rows.get(1).get("pickup_datetime"))
        .isEqualTo(java.time.Instant.parse("2008-12-31T23:49:36Z"));
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()),
                new org.apache.hadoop.conf.Configuration()))) {
      assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec())
          .isEqualTo(CompressionCodecName.GZIP);
      assertThat(reader.getRecordCount()).isEqualTo(3);
    }
  }
}
