package io.taxietl.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * {@code replay convert}: turns TLC trip files into one newline-delimited JSON event file sorted by pickup
 * time. See {@link #usage()} for the arguments, {@link ConvertArguments} for their rules and
 * {@link TripConverter} for the conversion.
 */
final class ConvertCommand implements Command {

  @Override
  public String name() {
    return "convert";
  }

  @Override
  public String summary() {
    return "convert TLC trip files (yellow CSV, green Parquet) into one JSON-lines event file";
  }

  @Override
  public String usage() {
    return """
        Usage: replay convert --output FILE [--sample-every N] [--limit N|all] INPUT \
        [[--sample-every N] [--limit N|all] INPUT]...

        Converts NYC TLC trip files into newline-delimited JSON trip events, one per line in the input-event
        shape of docs/input-events.md, sorted by pickup time across all inputs (equal times keep input order,
        then row order). Empty source fields are left out of the events, never written as 0.

        INPUT is a TLC trip file; its name chooses the kind and must contain the month as _YYYY-MM.:
          *.csv, *.csv.gz   yellow trips with the snake_case header of the TLC samples  -> "type":"yellow"
          *.parquet         green trips with the TLC column names                        -> "type":"green"

        Options:
          --output FILE      the file to write, gzip-compressed if FILE ends in .gz (required)
          --sample-every N   keep rows 1, N+1, 2N+1, ... of each following INPUT (default 1: every row)
          --limit N|all      keep at most N rows of each following INPUT, after sampling (default all)
          --help             print this help

        --sample-every and --limit apply to the INPUTs that follow them on the command line, until the same
        option is given again. An option that no INPUT follows is an error.

        trip_id = T * 10^14 + YYYYMM * 10^8 + ROW, where T is 1 for yellow and 2 for green, YYYYMM is the month
        in the INPUT's name and ROW the 1-based data row in that file, counted before sampling: the same row
        always gets the same id, whatever else is converted with it.

        Prints a summary on standard output and progress on big inputs on standard error.
        Exit status: 0 on success, 1 if an INPUT cannot be converted or FILE cannot be written, 2 for a
        usage error.

        Example: all yellow rows of one file and every 7th green row of another:
          replay convert --output sample.jsonl.gz yellow_tripdata_sample_2019-08.csv.gz \\
              --sample-every 7 green_tripdata_2023-01.parquet
        """;
  }

  @Override
  public void run(List<String> args, PrintStream out, PrintStream err) throws UsageException, IOException {
    ConvertArguments arguments = ConvertArguments.parse(args);
    new TripConverter(err).convert(arguments).print(out);
  }
}
