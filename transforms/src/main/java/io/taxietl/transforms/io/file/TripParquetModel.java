package io.taxietl.transforms.io.file;

import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;

/**
 * The Avro data model that ParquetIO writes {@link io.taxietl.avro.TripEvent}s with. ParquetIO
 * takes a model class and calls its static {@code get()}; the plain {@link SpecificData#get()}
 * knows no logical-type conversions, so the trips' {@code java.time.Instant} fields would not
 * convert to Parquet's timestamp-millis.
 */
public final class TripParquetModel extends SpecificData {
  private static final TripParquetModel INSTANCE = new TripParquetModel();

  private TripParquetModel() {
    addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
  }

  public static TripParquetModel get() {
    return INSTANCE;
  }
}
