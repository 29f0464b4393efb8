package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code replay convert}: turns TLC trip files into one newline-delimited JSON event file sorted by
 * pickup time. {@code --sample-every} and {@code --limit} apply to the INPUTs that follow them, so
 * the setters run in command line order and each INPUT takes the selection in force when it is
 * read. {@link ConvertArguments} holds the checked result, {@link TripConverter} converts.
 */
@Command(
    name = "convert",
    customSynopsis =
        "replay convert --output FILE [--sample-every N] [--limit N|all] INPUT "
            + "[[--sample-every N] [--limit N|all] INPUT]...",
    description = {
      "Converts TLC trip files (yellow CSV, green Parquet) into one JSON-lines event file.",
      "",
      "Writes newline-delimited JSON trip events, one per line in the pipeline's input-event shape, sorted by "
          + "pickup time across all inputs (equal times keep input order, then row order). Empty source fields "
          + "are left out of the events, never written as 0. A row without a pickup or drop-off time or "
          + "location, which every trip has, is skipped and counted in the summary.",
      "",
      "INPUT is a TLC trip file; its name chooses the kind and must contain the month as _YYYY-MM.:",
      "  *.csv, *.csv.gz   yellow trips with the snake_case header of the TLC samples  -> \"type\":\"yellow\"",
      "  *.parquet         green trips with the TLC column names                        -> \"type\":\"green\""
    },
    footer = {
      "--sample-every and --limit apply to the INPUTs that follow them on the command line, until the same "
          + "option is given again. An option that no INPUT follows is an error.",
      "",
      "trip_id = T * 10^14 + YYYYMM * 10^8 + ROW, where T is 1 for yellow and 2 for green, YYYYMM is the month "
          + "in the INPUT's name and ROW the 1-based data row in that file, counted before sampling: the same row "
          + "always gets the same id, whatever else is converted with it.",
      "",
      "Prints a summary on standard output and progress on big inputs on standard error.",
      "Exit status: 0 on success, 1 if an INPUT cannot be converted or FILE cannot be written, 2 for a usage "
          + "error.",
      "",
      "Example: all yellow rows of one file and every 7th green row of another:",
      "  replay convert --output sample.jsonl.gz yellow_tripdata_sample_2019-08.csv.gz \\",
      "      --sample-every 7 green_tripdata_2023-01.parquet"
    })
final class ConvertCommand implements Callable<Integer> {
  private final PrintStream out;
  private final PrintStream err;
  private Path output;
  private int sampleEvery = 1;
  private long limit = InputFile.NO_LIMIT;
  private String optionWithoutInput;
  private final List<InputFile> inputs = new ArrayList<>();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this help")
  private boolean help;

  /** A command that prints its summary on {@code out} and its progress on {@code err}. */
  ConvertCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "the file to write, gzip-compressed if FILE ends in .gz (required)")
  void output(String value) throws UsageException {
    output = OptionValues.once("--output", output, OptionValues.path("--output", value));
  }

  @Option(
      names = "--sample-every",
      paramLabel = "N",
      description = "keep rows 1, N+1, 2N+1, ... of each following INPUT (default 1: every row)")
  void sampleEvery(String value) throws UsageException {
    sampleEvery = (int) OptionValues.positive("--sample-every", value, Integer.MAX_VALUE);
    optionWithoutInput = "--sample-every " + value;
  }

  @Option(
      names = "--limit",
      paramLabel = "N|all",
      description = "keep at most N rows of each following INPUT, after sampling (default all)")
  void limit(String value) throws UsageException {
    limit =
        value.equals("all")
            ? InputFile.NO_LIMIT
            : OptionValues.positive("--limit", value, InputFile.NO_LIMIT - 1);
    optionWithoutInput = "--limit " + value;
  }

  @Parameters(paramLabel = "INPUT", arity = "0..*", description = "TLC trip files, see above")
  void inputs(List<String> values) throws UsageException {
    // picocli passes every INPUT so far; the ones after those already taken are new.
    for (String value : values.subList(inputs.size(), values.size())) {
      inputs.add(input(value));
    }
    optionWithoutInput = null;
  }

  @Override
  public Integer call() throws UsageException, IOException {
    if (optionWithoutInput != null) {
      throw new UsageException(
          "'"
              + optionWithoutInput
              + "' is followed by no INPUT; it applies only to the inputs after it");
    }
    if (output == null) {
      throw new UsageException("--output FILE is required");
    }
    if (inputs.isEmpty()) {
      throw new UsageException("no INPUT file given");
    }
    checkOutput();
    checkDistinctIds();
    new TripConverter(err).convert(new ConvertArguments(output, inputs)).print(out);
    return Replay.EXIT_OK;
  }

  private InputFile input(String value) throws UsageException {
    Path path = OptionValues.input(value);
    String name = path.getFileName().toString();
    TripType type =
        TripType.ofFileName(name)
            .orElseThrow(
                () ->
                    new UsageException(
                        "INPUT '"
                            + value
                            + "' is of an unknown kind: expected .csv or .csv.gz (yellow) "
                            + "or .parquet (green)"));
    YearMonth month =
        TripIds.monthOfFileName(name)
            .orElseThrow(
                () ->
                    new UsageException(
                        "INPUT '"
                            + value
                            + "' has no month in its name: expected _YYYY-MM. as in "
                            + "yellow_tripdata_2019-03.csv; the month is part of every trip id"));
    return new InputFile(path, type, month, sampleEvery, limit);
  }

  private void checkOutput() throws UsageException {
    Path directory = output.toAbsolutePath().getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new UsageException(
          "--output '" + output + "': directory '" + directory + "' does not exist");
    }
    if (Files.isDirectory(output)) {
      throw new UsageException("--output '" + output + "' is a directory");
    }
    for (InputFile input : inputs) {
      if (input.path().toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
        throw new UsageException("--output '" + output + "' is also an INPUT");
      }
    }
  }

  /** Two inputs of the same kind and month would give the same trip ids to different trips. */
  private void checkDistinctIds() throws UsageException {
    Map<String, InputFile> byIdRange = new HashMap<>();
    for (InputFile input : inputs) {
      String idRange = input.type().eventType() + " " + input.month();
      InputFile earlier = byIdRange.putIfAbsent(idRange, input);
      if (earlier != null) {
        throw new UsageException(
            "INPUT '"
                + input.path()
                + "' and INPUT '"
                + earlier.path()
                + "' are both "
                + idRange
                + " files: their trip ids would collide");
      }
    }
  }
}
