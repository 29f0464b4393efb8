package io.taxietl.replay;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parsed command line of {@code replay convert}: the output file and the inputs, each with its own row
 * selection. {@code --sample-every} and {@code --limit} apply to the inputs that follow them, up to the next
 * occurrence of the same option.
 *
 * @param output the file to write; gzip-compressed when its name ends in {@code .gz}
 * @param inputs the inputs in command line order, which breaks ties between equal pickup times
 */
record ConvertArguments(Path output, List<InputFile> inputs) {

  ConvertArguments {
    Objects.requireNonNull(output, "output");
    inputs = List.copyOf(inputs);
  }

  /**
   * Parses and checks the arguments that follow {@code convert}. Options take their value as the next argument
   * or after {@code =} ({@code --limit 10}, {@code --limit=10}).
   *
   * @throws UsageException naming the argument and value at fault, before anything is read or written
   */
  static ConvertArguments parse(List<String> args) throws UsageException {
    Path output = null;
    int sampleEvery = 1;
    long limit = InputFile.NO_LIMIT;
    String optionWithoutInput = null;
    List<InputFile> inputs = new ArrayList<>();
    for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
      String arg = it.next();
      if (!arg.startsWith("--")) {
        inputs.add(input(arg, sampleEvery, limit));
        optionWithoutInput = null;
        continue;
      }
      int equals = arg.indexOf('=');
      String option = equals < 0 ? arg : arg.substring(0, equals);
      switch (option) {
        case "--output" -> {
          if (output != null) {
            throw new UsageException("--output is given more than once");
          }
          output = path(option, value(option, arg, equals, it));
        }
        case "--sample-every" -> {
          String value = value(option, arg, equals, it);
          sampleEvery = (int) positive(option, value, Integer.MAX_VALUE);
          optionWithoutInput = option + " " + value;
        }
        case "--limit" -> {
          String value = value(option, arg, equals, it);
          limit = value.equals("all") ? InputFile.NO_LIMIT : positive(option, value, InputFile.NO_LIMIT - 1);
          optionWithoutInput = option + " " + value;
        }
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (optionWithoutInput != null) {
      throw new UsageException(
          "'" + optionWithoutInput + "' is followed by no INPUT; it applies only to the inputs after it");
    }
    if (output == null) {
      throw new UsageException("--output FILE is required");
    }
    if (inputs.isEmpty()) {
      throw new UsageException("no INPUT file given");
    }
    checkOutput(output, inputs);
    checkDistinctIds(inputs);
    return new ConvertArguments(output, inputs);
  }

  private static InputFile input(String arg, int sampleEvery, long limit) throws UsageException {
    Path path = path("INPUT", arg);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new UsageException("INPUT '" + arg + "' is not a readable file");
    }
    String name = path.getFileName().toString();
    TripType type =
        TripType.ofFileName(name)
            .orElseThrow(
                () ->
                    new UsageException(
                        "INPUT '" + arg + "' is of an unknown kind: expected .csv or .csv.gz (yellow) "
                            + "or .parquet (green)"));
    YearMonth month =
        TripIds.monthOfFileName(name)
            .orElseThrow(
                () ->
                    new UsageException(
                        "INPUT '" + arg + "' has no month in its name: expected _YYYY-MM. as in "
                            + "yellow_tripdata_2019-03.csv; the month is part of every trip id"));
    return new InputFile(path, type, month, sampleEvery, limit);
  }

  private static String value(String option, String arg, int equals, Iterator<String> rest)
      throws UsageException {
    if (equals >= 0) {
      return arg.substring(equals + 1);
    }
    if (!rest.hasNext()) {
      throw new UsageException(option + " needs a value");
    }
    return rest.next();
  }

  private static long positive(String option, String value, long max) throws UsageException {
    if (!value.matches("[0-9]{1,18}") || Long.parseLong(value) < 1) {
      throw new UsageException(option + " must be a positive whole number, got '" + value + "'");
    }
    long n = Long.parseLong(value);
    if (n > max) {
      throw new UsageException(option + " must be at most " + max + ", got '" + value + "'");
    }
    return n;
  }

  private static Path path(String argument, String value) throws UsageException {
    if (value.isEmpty()) {
      throw new UsageException(argument + " must not be empty");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(argument + " '" + value + "' is not a valid path: " + e.getReason());
    }
  }

  private static void checkOutput(Path output, List<InputFile> inputs) throws UsageException {
    Path directory = output.toAbsolutePath().getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new UsageException("--output '" + output + "': directory '" + directory + "' does not exist");
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
  private static void checkDistinctIds(List<InputFile> inputs) throws UsageException {
    Map<String, InputFile> byIdRange = new HashMap<>();
    for (InputFile input : inputs) {
      String idRange = input.type().eventType() + " " + input.month();
      InputFile earlier = byIdRange.putIfAbsent(idRange, input);
      if (earlier != null) {
        throw new UsageException(
            "INPUT '" + input.path() + "' and INPUT '" + earlier.path() + "' are both " + idRange
                + " files: their trip ids would collide");
      }
    }
  }
}
