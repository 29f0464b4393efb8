package io.taxietl.replay;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What {@code replay convert} did: rows read and kept per input, events written, their pickup time
 * range and the output file.
 *
 * @param inputs one entry per input, in command line order
 * @param eventsWritten lines in the output
 * @param firstPickup the earliest pickup time written (a naive time, see {@link
 *     FieldValues#naive}), null if none
 * @param lastPickup the latest pickup time written, null if none
 * @param output the output file
 * @param outputBytes its size
 */
record ConversionReport(
    List<InputReport> inputs,
    long eventsWritten,
    Instant firstPickup,
    Instant lastPickup,
    Path output,
    long outputBytes) {

  ConversionReport {
    inputs = List.copyOf(inputs);
  }

  /**
   * Rows of one input.
   *
   * @param input the input and its selection
   * @param rowsRead data rows read; reading stops early once the limit is reached
   * @param rowsKept rows selected and converted into events
   * @param rowsSkipped rows selected but left out: without a pickup or drop-off time or location,
   *     no trip
   */
  record InputReport(InputFile input, long rowsRead, long rowsKept, long rowsSkipped) {}

  /** Prints the report as a few lines of text. */
  void print(PrintStream out) {
    out.printf(
        Locale.ROOT, "Converted %d input(s) into %,d events:%n", inputs.size(), eventsWritten);
    for (InputReport report : inputs) {
      InputFile input = report.input();
      out.printf(
          Locale.ROOT,
          "  %-6s %s: %,d rows read, %,d kept (%s)%s%n",
          input.type().eventType(),
          input.path(),
          report.rowsRead(),
          report.rowsKept(),
          input.describeSelection(),
          report.rowsSkipped() == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  ", %,d skipped without a pickup or drop-off time or location",
                  report.rowsSkipped()));
    }
    if (firstPickup != null) {
      out.printf(
          "Pickup times: %s to %s%n",
          EventJsonWriter.formatTime(firstPickup), EventJsonWriter.formatTime(lastPickup));
    }
    out.printf(Locale.ROOT, "Output: %s (%,d bytes)%n", output, outputBytes);
  }
}
