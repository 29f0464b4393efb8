package io.taxietl.replay;

import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.io.ParquetDecodingException;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads green-taxi trips from a TLC Parquet file with the TLC column names ({@code VendorID},
 * {@code lpep_pickup_datetime}, {@code PULocationID}, ...). Only the columns that become event
 * fields are read. Ids and counts may be stored as int32, int64 or double ({@code 1.0} becomes 1,
 * NaN a missing value). Timestamps are int64 Parquet timestamps (millis, micros or nanos) read as
 * naive local times: the stored value is the wall-clock time counted from 1970-01-01T00:00,
 * whatever its UTC-adjusted flag says (and a trip carries it as that count, see {@link
 * FieldValues#naive}).
 */
final class GreenParquetReader implements TripFileReader, TripColumns.Row {
  private static final String PICKUP = TripColumns.GREEN.pickupDatetime();
  private static final String DROPOFF = TripColumns.GREEN.dropoffDatetime();
  private static final List<String> REQUIRED_COLUMNS =
      List.of(
          "VendorID",
          PICKUP,
          DROPOFF,
          "store_and_fwd_flag",
          "RatecodeID",
          "PULocationID",
          "DOLocationID",
          "passenger_count",
          "trip_distance",
          "fare_amount",
          "extra",
          "mta_tax",
          "tip_amount",
          "tolls_amount",
          "improvement_surcharge",
          "total_amount",
          "payment_type");
  private static final List<String> OPTIONAL_COLUMNS =
      List.of("congestion_surcharge", "airport_fee");

  private final ParquetReader<GenericRecord> reader;
  private final Set<String> columns;
  private final Map<String, TimeUnit> timestampUnits;
  private GenericRecord record;

  private GreenParquetReader(
      ParquetReader<GenericRecord> reader,
      Set<String> columns,
      Map<String, TimeUnit> timestampUnits) {
    this.reader = reader;
    this.columns = columns;
    this.timestampUnits = timestampUnits;
  }

  /**
   * Opens the file, checks its schema and prepares to read the event columns.
   *
   * @throws TripFileException if a required column is missing or a timestamp column is not an int64
   *     timestamp
   */
  static GreenParquetReader open(Path file) throws IOException {
    Configuration conf = new Configuration();
    HadoopInputFile input =
        HadoopInputFile.fromPath(
            new org.apache.hadoop.fs.Path(file.toAbsolutePath().toUri()), conf);
    MessageType fileSchema = readSchema(input);
    List<Type> projected = new ArrayList<>();
    for (String column : REQUIRED_COLUMNS) {
      if (!fileSchema.containsField(column)) {
        throw new TripFileException(
            "no column "
                + column
                + "; expected the green-trip columns "
                + String.join(",", REQUIRED_COLUMNS));
      }
      projected.add(fileSchema.getType(column));
    }
    OPTIONAL_COLUMNS.stream()
        .filter(fileSchema::containsField)
        .map(fileSchema::getType)
        .forEach(projected::add);
    MessageType projection = new MessageType(fileSchema.getName(), projected);
    Map<String, TimeUnit> timestampUnits = new HashMap<>();
    for (String column : List.of(PICKUP, DROPOFF)) {
      timestampUnits.put(column, timestampUnit(column, fileSchema.getType(column)));
    }
    AvroReadSupport.setRequestedProjection(conf, new AvroSchemaConverter(conf).convert(projection));
    ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(input)
            .withDataModel(GenericData.get())
            .withConf(conf)
            .build();
    Set<String> columns = Set.copyOf(projected.stream().map(Type::getName).toList());
    return new GreenParquetReader(reader, columns, timestampUnits);
  }

  private static MessageType readSchema(HadoopInputFile input) throws IOException {
    try (ParquetFileReader footer = ParquetFileReader.open(input)) {
      return footer.getFileMetaData().getSchema();
    } catch (RuntimeException e) {
      // Parquet reports a file that is not Parquet (no magic number) as a plain RuntimeException.
      throw new TripFileException("not a readable Parquet file: " + e.getMessage(), e);
    }
  }

  private static TimeUnit timestampUnit(String column, Type type) throws TripFileException {
    LogicalTypeAnnotation logicalType = type.getLogicalTypeAnnotation();
    if (type.isPrimitive()
        && type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT64
        && logicalType instanceof TimestampLogicalTypeAnnotation timestamp) {
      return switch (timestamp.getUnit()) {
        case MILLIS -> TimeUnit.MILLISECONDS;
        case MICROS -> TimeUnit.MICROSECONDS;
        case NANOS -> TimeUnit.NANOSECONDS;
      };
    }
    throw new TripFileException(
        "column " + column + " is " + type + ", expected an int64 timestamp");
  }

  @Override
  public boolean next() throws IOException {
    try {
      record = reader.read();
    } catch (ParquetDecodingException e) {
      throw new TripFileException("cannot decode the next row: " + e.getMessage(), e);
    }
    return record != null;
  }

  @Override
  public TripEvent.Builder decode() throws TripFileException {
    return TripColumns.GREEN.decode(this);
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** The current row's value in the column, or null if the column is missing or the value null. */
  private Object value(String column) {
    return columns.contains(column) ? record.get(column) : null;
  }

  @Override
  public String text(String column) {
    Object value = value(column);
    return value == null || value.toString().isEmpty() ? null : value.toString();
  }

  @Override
  public Integer wholeNumber(String column) throws TripFileException {
    Object value = value(column);
    if (value == null || value instanceof Integer) {
      return (Integer) value;
    }
    if (value instanceof Long n) {
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new TripFileException("column " + column + ": out of range: " + n);
      }
      return n.intValue();
    }
    return FieldValues.wholeNumber(number(column, value), column);
  }

  @Override
  public Double decimal(String column) throws TripFileException {
    Object value = value(column);
    return value == null ? null : FieldValues.finite(number(column, value));
  }

  @Override
  public Instant timestamp(String column) throws TripFileException {
    Object value = value(column);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Long count)) {
      throw new TripFileException("column " + column + ": not an int64 timestamp: " + value);
    }
    long nanos = timestampUnits.get(column).toNanos(1);
    long perSecond = TimeUnit.SECONDS.toNanos(1) / nanos;
    return Instant.ofEpochSecond(
        Math.floorDiv(count, perSecond), Math.floorMod(count, perSecond) * nanos);
  }

  private static double number(String column, Object value) throws TripFileException {
    if (value instanceof Float f) {
      // A float's shortest decimal form, not its binary expansion: 0.3f is 0.3, not
      // 0.30000001192092896.
      return Double.parseDouble(f.toString());
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new TripFileException("column " + column + ": not a number: " + value);
  }
}
