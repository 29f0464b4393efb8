package io.taxietl.replay;

import io.taxietl.avro.TripEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Converts TLC trip files into one newline-delimited JSON event file sorted by pickup time. Each
 * input's rows are numbered from 1 in file order, selected by its {@link InputFile} sampling and
 * limit, and given their {@link TripIds trip id}, as the pipeline's {@link TripEvent}. A row that
 * lacks a field every trip has (pickup or drop-off time or location) cannot be one: it is skipped
 * and counted. Equal pickup times keep input order, then row order. The kept trips are held in
 * memory to be sorted, so sample large inputs.
 *
 * <p>The output is written next to its final name and moved into place when complete, so it is
 * never seen half-written.
 */
final class TripConverter {
  private static final long PROGRESS_EVERY_ROWS = 100_000;
  private static final int BUFFER_BYTES = 1 << 16;
  private static final Comparator<TripEvent> BY_PICKUP =
      Comparator.comparing(TripEvent::getPickupDatetime);

  private final PrintStream progress;

  /** Creates a converter that reports progress on big inputs to the given stream. */
  TripConverter(PrintStream progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Reads all inputs, writes the output and reports what was done. */
  ConversionReport convert(ConvertArguments arguments) throws IOException {
    List<TripEvent> trips = new ArrayList<>();
    List<ConversionReport.InputReport> inputs = new ArrayList<>();
    for (InputFile input : arguments.inputs()) {
      inputs.add(read(input, trips));
    }
    // List.sort is stable: trips with equal pickup times stay in input order, then row order.
    trips.sort(BY_PICKUP);
    long bytes = write(trips, arguments.output());
    return new ConversionReport(
        inputs,
        trips.size(),
        trips.isEmpty() ? null : trips.get(0).getPickupDatetime(),
        trips.isEmpty() ? null : trips.get(trips.size() - 1).getPickupDatetime(),
        arguments.output(),
        bytes);
  }

  private ConversionReport.InputReport read(InputFile input, List<TripEvent> trips)
      throws IOException {
    long rowNumber = 0;
    long kept = 0;
    long skipped = 0;
    try (TripFileReader reader = open(input)) {
      while (kept < input.limit() && next(reader, input, rowNumber)) {
        rowNumber++;
        if (rowNumber > TripIds.MAX_ROW_NUMBER) {
          throw new TripFileException(
              input.path()
                  + " has more than "
                  + TripIds.MAX_ROW_NUMBER
                  + " rows, the most a trip id can number");
        }
        if (input.samples(rowNumber)) {
          TripEvent.Builder trip = decode(reader, input, rowNumber);
          if (isTrip(trip)) {
            trips.add(trip.build());
            kept++;
          } else {
            skipped++;
          }
        }
        if (rowNumber % PROGRESS_EVERY_ROWS == 0) {
          progress.printf(
              Locale.ROOT, "%s: %,d rows read, %,d kept%n", input.path(), rowNumber, kept);
        }
      }
    }
    return new ConversionReport.InputReport(input, rowNumber, kept, skipped);
  }

  private static TripFileReader open(InputFile input) throws TripFileException {
    try {
      return TripFileReader.open(input);
    } catch (IOException e) {
      throw new TripFileException(input.path() + ": " + reason(e), e);
    }
  }

  private static boolean next(TripFileReader reader, InputFile input, long rowNumber)
      throws TripFileException {
    try {
      return reader.next();
    } catch (IOException e) {
      throw new TripFileException(input.path() + " after row " + rowNumber + ": " + reason(e), e);
    }
  }

  private static TripEvent.Builder decode(TripFileReader reader, InputFile input, long rowNumber)
      throws TripFileException {
    try {
      return reader
          .decode()
          .setTripId(TripIds.tripId(input.type(), input.month(), rowNumber))
          .setType(input.type().eventType());
    } catch (TripFileException e) {
      throw new TripFileException(input.path() + " row " + rowNumber + ": " + reason(e), e);
    }
  }

  /**
   * Whether the row has the fields that every trip has; the readers leave them unset when the row
   * has none.
   */
  private static boolean isTrip(TripEvent.Builder trip) {
    return trip.hasPickupDatetime()
        && trip.hasDropoffDatetime()
        && trip.hasPickupLocationId()
        && trip.hasDropoffLocationId();
  }

  /**
   * A reader's own messages say what is wrong; other I/O errors also need their kind, e.g.
   * ZipException.
   */
  private static String reason(IOException e) {
    return e instanceof TripFileException
        ? e.getMessage()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static long write(List<TripEvent> trips, Path output) throws IOException {
    Path partial = output.resolveSibling("." + output.getFileName() + ".partial");
    try {
      try (EventJsonWriter writer = new EventJsonWriter(open(partial, isGzip(output)))) {
        for (TripEvent trip : trips) {
          writer.write(trip);
        }
      }
      Files.move(
          partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(partial);
      throw e;
    }
    return Files.size(output);
  }

  private static boolean isGzip(Path output) {
    return output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
  }

  private static OutputStream open(Path file, boolean gzip) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    try {
      return gzip ? new GZIPOutputStream(out, BUFFER_BYTES) : out;
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }
}
