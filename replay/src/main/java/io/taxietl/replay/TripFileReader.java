package io.taxietl.replay;

import io.taxietl.avro.TripEvent;
import java.io.Closeable;
import java.io.IOException;

/**
 * Reads the data rows of one TLC trip file in file order. The caller numbers the rows, chooses
 * which to decode and adds the trip id and type; a reader only moves from row to row and decodes
 * the trip fields into the pipeline's trip model, {@link TripEvent}.
 */
interface TripFileReader extends Closeable {

  /**
   * Moves to the next data row.
   *
   * @return false at the end of the file
   * @throws TripFileException if the file is not a trip file of the expected kind
   */
  boolean next() throws IOException;

  /**
   * Decodes the trip fields of the current row; trip id and type are left unset, and so is a field
   * every trip needs (pickup and drop-off time and location) that the row leaves empty.
   *
   * @throws TripFileException naming the column if a value cannot be read; the caller adds file and
   *     row
   */
  TripEvent.Builder decode() throws TripFileException;

  /** Opens a reader for the input's kind of file. */
  static TripFileReader open(InputFile input) throws IOException {
    return switch (input.type()) {
      case YELLOW -> YellowCsvReader.open(input.path());
      case GREEN -> GreenParquetReader.open(input.path());
    };
  }
}
