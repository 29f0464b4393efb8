package io.taxietl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.taxietl.avro.TripEvent;
import io.taxietl.transforms.enrich.ZoneLookup;
import io.taxietl.transforms.io.file.TripParquetSink;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zone columns are new optional columns at the end: files written before them (the trip schema
 * without the four zone fields) and after them are read together by DuckDB, and a reader that knows
 * only the old columns reads the new files.
 */
class TripParquetSchemaEvolutionTest {
  private static final List<String> ZONE_COLUMNS =
      List.of("pickup_borough", "pickup_zone", "dropoff_borough", "dropoff_zone");

  @TempDir Path folder;

  @Test
  void duckDbReadsFilesWrittenBeforeAndAfterTheZoneColumnsTogether() throws Exception {
    Path before = writeBefore(folder.resolve("before.parquet"), 1L);
    Path after = writeAfter(folder.resolve("after.parquet"), 2L);

    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      assertThat(columns(sql, before)).doesNotContainAnyElementsOf(ZONE_COLUMNS);
      assertThat(columns(sql, after)).containsAll(ZONE_COLUMNS).containsAll(columns(sql, before));
      try (ResultSet rows =
          sql.executeQuery(
              "SELECT trip_id, pickup_location_id, pickup_zone, dropoff_borough FROM read_parquet(['"
                  + before
                  + "', '"
                  + after
                  + "'], union_by_name = true) ORDER BY trip_id")) {
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong("trip_id")).isEqualTo(1L);
        assertThat(rows.getString("pickup_zone")).as("a file without the column").isNull();
        assertThat(rows.next()).isTrue();
        assertThat(rows.getLong("trip_id")).isEqualTo(2L);
        assertThat(rows.getString("pickup_zone")).isEqualTo("Upper West Side South");
        assertThat(rows.getString("dropoff_borough")).isEqualTo("Manhattan");
        assertThat(rows.next()).isFalse();
      }
      // A query written before the change (only the old columns) reads both as it always did.
      try (ResultSet count =
          sql.executeQuery(
              "SELECT count(*), sum(total_amount) FROM read_parquet(['"
                  + before
                  + "', '"
                  + after
                  + "'], union_by_name = true) WHERE pickup_location_id = 239")) {
        assertThat(count.next()).isTrue();
        assertThat(count.getLong(1)).isEqualTo(2L);
        assertThat(count.getDouble(2)).isEqualTo(24.6);
      }
    }
  }

  @Test
  void aReaderThatKnowsOnlyTheOldColumnsReadsANewFile() throws IOException {
    Path after = writeAfter(folder.resolve("after.parquet"), 7L);
    Configuration conf = new Configuration(false);
    AvroReadSupport.setRequestedProjection(conf, oldSchema());
    AvroReadSupport.setAvroReadSchema(conf, oldSchema());
    List<GenericRecord> rows = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(after.toUri()), conf))
            .withDataModel(GenericData.get())
            .withConf(conf)
            .build()) {
      for (GenericRecord row = reader.read(); row != null; row = reader.read()) {
        rows.add(row);
      }
    }
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getSchema().getFields()).hasSize(22);
    assertThat(rows.get(0).get("trip_id")).isEqualTo(7L);
    assertThat(rows.get(0).get("pickup_location_id")).isEqualTo(239);
    assertThat(rows.get(0).getSchema().getField("pickup_zone")).isNull();
  }

  /** The trip schema as it was before the zone columns: the same fields without the last four. */
  static Schema oldSchema() {
    Schema current = TripEvent.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : current.getFields()) {
      if (!ZONE_COLUMNS.contains(field.name())) {
        fields.add(new Schema.Field(field, field.schema()));
      }
    }
    assertThat(fields).hasSize(current.getFields().size() - 4);
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  /** A file as the previous version wrote it: the same writer settings, the old schema. */
  private static Path writeBefore(Path file, long tripId) throws IOException {
    GenericRecord row = new GenericData.Record(oldSchema());
    TripEvent trip = trip(tripId);
    for (Schema.Field field : oldSchema().getFields()) {
      Object value = trip.get(field.name());
      row.put(field.name(), value instanceof Instant ? ((Instant) value).toEpochMilli() : value);
    }
    try (ParquetWriter<GenericRecord> writer =
        AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new Configuration(false)))
            .withSchema(oldSchema())
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withConf(new Configuration(false))
            .build()) {
      writer.write(row);
    }
    return file;
  }

  /** A file as this version writes it, through the pipeline's own Parquet sink. */
  private static Path writeAfter(Path file, long tripId) throws IOException {
    ZoneLookup zones = ZoneLookup.bundled();
    TripEvent trip =
        TripEvent.newBuilder(trip(tripId))
            .setPickupBorough(zones.borough(239))
            .setPickupZone(zones.zone(239))
            .setDropoffBorough(zones.borough(142))
            .setDropoffZone(zones.zone(142))
            .build();
    TripParquetSink sink = TripParquetSink.withCompression(CompressionCodecName.SNAPPY);
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      sink.open(channel);
      sink.write(trip);
      sink.flush();
    }
    assertThat(Files.size(file)).isPositive();
    return file;
  }

  private static TripEvent trip(long tripId) {
    return TripEvent.newBuilder()
        .setTripId(tripId)
        .setType("yellow")
        .setPickupDatetime(Instant.parse("2019-03-01T00:13:12Z"))
        .setDropoffDatetime(Instant.parse("2019-03-01T00:21:40Z"))
        .setPickupLocationId(239)
        .setDropoffLocationId(142)
        .setTotalAmount(12.3)
        .build();
  }

  private static List<String> columns(Statement sql, Path file) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet result =
        sql.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
      while (result.next()) {
        names.add(result.getString("column_name"));
      }
    }
    return names;
  }
}
